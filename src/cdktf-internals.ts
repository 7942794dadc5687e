/**
 * The one module that reaches into cdktf's internals (paths under `cdktf/lib/` that are not its
 * public entry point). cdktf is deprecated upstream (docs/cdktf-exit.md): a fork or a new cdktf
 * release may move these files, and this is the only place to change when it does. Lint forbids
 * `cdktf/lib/...` imports everywhere else.
 */
// eslint-disable-next-line no-restricted-imports
import { invokeAspects as cdktfInvokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { App, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * Runs every Aspect added under `root` (what `app.synth()` does first), without writing anything:
 * the policy check evaluates resources after aspects ran.
 */
export function invokeAspects(root: IConstruct): void {
  cdktfInvokeAspects(root);
}

/** Registers cdktf's jest matchers (`toHaveResourceWithProperties`, `toBeValidTerraform`, ...); for jest's setup file. */
export function registerCdktfJestMatchers(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('cdktf/lib/testing/adapters/jest');
}

/** cdktf's own check that every provider a stack's resources use is configured (its messages). */
export function providerPresenceProblems(stack: TerraformStack): string[] {
  // Loaded on use: this file of cdktf's, required before cdktf's index, breaks cdktf's own import
  // cycle ("Class extends value undefined").
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ValidateProviderPresence } = require('cdktf/lib/validations/validate-provider-presence') as typeof import('cdktf/lib/validations/validate-provider-presence');
  return new ValidateProviderPresence(stack).validate();
}

let lazyStackTraces = false;

/**
 * Makes the stack trace cdktf records at every token's creation (`creationStack`, read only by
 * the error messages of a token that fails to resolve) formatted when it is first read instead of
 * at once. cdktf captures it with no depth limit and formats it into strings for each of the
 * ~1,300 tokens of a synth: about a seventh of the synth's CPU time, for messages that are
 * almost never printed. The frames are still captured where the token is created (V8 records
 * them; formatting is what costs), so a resolution error shows the same creation stack.
 * Idempotent; affects the cdktf module instance this module resolves.
 */
export function formatTokenStackTracesLazily(): void {
  if (lazyStackTraces) return;
  lazyStackTraces = true;
  type Below = (...args: never[]) => unknown; // the frame to start the trace below, as Error.captureStackTrace takes
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: (below?: Below) => string[] };
  stackTrace.captureStackTrace = function captureStackTraceLazily(below?: Below): string[] {
    const holder: { stack?: string } = {};
    const previousLimit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
      Error.captureStackTrace(holder, below ?? captureStackTraceLazily);
    } finally {
      Error.stackTraceLimit = previousLimit;
    }
    // cdktf's own formatting, run on the array's first use (a read, a write, a key listing).
    const lines: string[] = [];
    let formatted = false;
    const format = (): string[] => {
      if (!formatted) {
        formatted = true;
        if (holder.stack) lines.push(...holder.stack.split('\n').slice(1).map((s) => s.replace(/^\s*at\s+/, '')));
      }
      return lines;
    };
    return new Proxy(lines, {
      get: (_t, key) => Reflect.get(format(), key),
      set: (_t, key, value) => Reflect.set(format(), key, value),
      has: (_t, key) => Reflect.has(format(), key),
      ownKeys: () => Reflect.ownKeys(format()),
      getOwnPropertyDescriptor: (_t, key) => Reflect.getOwnPropertyDescriptor(format(), key),
      defineProperty: (_t, key, descriptor) => Reflect.defineProperty(format(), key, descriptor),
      deleteProperty: (_t, key) => Reflect.deleteProperty(format(), key),
    });
  };
}

/**
 * `app.synth()` without cdktf's preparing pass, when the app turns out not to need it. Before
 * writing, cdktf resolves every element of every stack once with `preparing: true` and throws the
 * result away: the one thing that pass does (cdktf 0.20.12: the only reader of `preparing` is the
 * `Reference` token) is to turn a reference to another stack's resource into an output of that
 * stack and a remote-state data source in this one, before the real resolution. Resolving twice is
 * about a quarter of a synth's CPU. Here each stack only makes sure it has a backend (the rest of
 * `prepareStack`), and every `Reference` resolved for the output is watched: if one belongs to
 * another stack, the output is wrong, and this returns false: the caller must build a new app and
 * synthesize it with `app.synth()` (the pass has side effects, so the same app cannot be reused).
 * True: the output is what `app.synth()` writes.
 */
export function synthWithoutPreparingPass(app: App): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ref } = require('cdktf/lib/tfExpression') as { ref: (identifier: string, stack?: TerraformStack) => object };
  type Resolvable = { originStack?: TerraformStack; resolve(context: { scope: IConstruct; preparing?: boolean }): unknown };
  const referencePrototype = Object.getPrototypeOf(ref('probe')) as Resolvable;
  const resolveReference = referencePrototype.resolve;
  let crossStack = false;
  referencePrototype.resolve = function resolveWatched(this: Resolvable, context) {
    if (!crossStack && this.originStack && this.originStack !== TerraformStack.of(context.scope)) crossStack = true;
    return resolveReference.call(this, context);
  };
  const stacks = app.node.findAll().filter(TerraformStack.isStack) as (TerraformStack & { prepareStack(): void })[];
  for (const stack of stacks) {
    stack.prepareStack = function prepareWithoutResolving(this: TerraformStack) {
      this.ensureBackendExists();
    };
  }
  try {
    app.synth();
  } finally {
    referencePrototype.resolve = resolveReference;
    for (const stack of stacks) delete (stack as { prepareStack?: unknown }).prepareStack;
  }
  return !crossStack;
}
