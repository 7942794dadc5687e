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

let cdktfResolve: ((obj: unknown, options: ResolveOptions) => unknown) | undefined;
let lighterResolve: ((obj: unknown, options: ResolveOptions) => unknown) | undefined;

/** cdktf's resolve context (`IResolveContext`), as its resolve function builds it. */
interface ResolveContext {
  preparing: boolean;
  scope: IConstruct;
  suppressBraces?: boolean;
  ignoreEscapes?: boolean;
  warnEscapes?: boolean;
  iteratorContext?: unknown;
  registerPostProcessor(pp: { postProcess(x: unknown, context: ResolveContext): unknown }): void;
  resolve(x: unknown): unknown;
}
interface ResolveOptions {
  scope: IConstruct;
  preparing: boolean;
  resolver: {
    resolveToken(t: unknown, context: ResolveContext, postProcessor: { postProcess(x: unknown): unknown }): unknown;
    resolveString(fragments: unknown, context: ResolveContext): unknown;
    resolveList(l: unknown[], context: ResolveContext): unknown;
    resolveNumberList(l: unknown[], context: ResolveContext): unknown;
    resolveMap(m: unknown, context: ResolveContext): unknown;
  };
  prefix?: string[];
  previousContext?: Partial<ResolveContext>;
}

/**
 * cdktf's `resolve` (cdktf/lib/tokens/private/resolve.js, 0.20.12), the walk that turns every
 * element's attributes into Terraform JSON, with the same steps, checks, errors and contexts
 * handed to tokens and resolvers, minus two costs it pays at every node of every value: it
 * formats the path (`/a/b/0`) of each node for error messages that are almost never thrown (here
 * formatted when one is), and it builds a full context (two closures, a post-processor) for each
 * key and each element only to resolve that child with it. A child's resolution reads nothing of
 * that context but the four inherited fields (`suppressBraces`, `ignoreEscapes`, `warnEscapes`,
 * `iteratorContext`), so children get a plain object with those; a context that a token or a
 * resolver receives is built exactly as cdktf builds it. 10-15 ms of a synth's ~0.33 s of CPU. Idempotent;
 * `enabled: false` puts cdktf's own back (the tests compare the two).
 */
export function resolveTokensWithLighterContexts(enabled = true): void {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const resolveModule = require('cdktf/lib/tokens/private/resolve') as { resolve: (obj: unknown, options: ResolveOptions) => unknown };
  cdktfResolve ??= resolveModule.resolve;
  lighterResolve ??= makeLighterResolve();
  resolveModule.resolve = enabled ? lighterResolve : cdktfResolve;
}

function makeLighterResolve(): (obj: unknown, options: ResolveOptions) => unknown {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { StringConcat } = require('cdktf/lib/tokens/resolvable') as typeof import('cdktf/lib/tokens/resolvable');
  const encoding = require('cdktf/lib/tokens/private/encoding') as typeof import('cdktf/lib/tokens/private/encoding');
  const { TokenMap } = require('cdktf/lib/tokens/private/token-map') as typeof import('cdktf/lib/tokens/private/token-map');
  const { Token } = require('cdktf/lib/tokens/token') as typeof import('cdktf/lib/tokens/token');
  const errors = require('cdktf/lib/errors') as typeof import('cdktf/lib/errors');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const tokenMap = TokenMap.instance();

  function resolve(obj: unknown, options: ResolveOptions): unknown {
    const prefix = options.prefix || [];
    const pathName = (): string => '/' + prefix.join('/');
    const previous = options.previousContext;
    /** The fields a new context takes from the options and the previous context, when it is made. */
    const inherited = () => ({
      preparing: options.preparing,
      scope: options.scope,
      suppressBraces: previous?.suppressBraces,
      ignoreEscapes: previous?.ignoreEscapes,
      warnEscapes: previous?.warnEscapes,
      iteratorContext: previous?.iteratorContext,
    });
    function makeContext(appendPath?: string): [ResolveContext, { postProcess(x: unknown): unknown }] {
      const newPrefix = appendPath !== undefined ? prefix.concat([appendPath]) : options.prefix;
      let postProcessor: { postProcess(x: unknown, context: ResolveContext): unknown } | undefined;
      const context: ResolveContext = {
        ...inherited(),
        registerPostProcessor(pp) {
          postProcessor = pp;
        },
        resolve(x) {
          return resolve(x, { ...options, prefix: newPrefix, previousContext: context });
        },
      };
      return [
        context,
        {
          postProcess(x) {
            return postProcessor ? postProcessor.postProcess(x, context) : x;
          },
        },
      ];
    }
    /** `makeContext(appendPath)[0].resolve(x)`, for a context no one else sees. */
    function resolveChild(x: unknown, appendPath?: string): unknown {
      return resolve(x, { ...options, prefix: appendPath !== undefined ? prefix.concat([appendPath]) : options.prefix, previousContext: inherited() });
    }

    if (prefix.length > 200) throw errors.unableToResolveCircularReference(pathName());
    if (typeof obj === 'undefined') return undefined;
    if (obj === null) return null;
    if (typeof obj === 'function') throw errors.cannotResolveFunction(pathName(), obj);
    if (typeof obj === 'string') {
      if (encoding.TokenString.forListToken(obj).test()) throw errors.encodedListTokenInScalarStringContext();
      if (obj === Token.STRING_MAP_TOKEN_VALUE || obj === Token.ANY_MAP_TOKEN_VALUE) throw errors.encodedMapTokenInScalarStringContext();
      let str: unknown = obj;
      const tokenStr = encoding.TokenString.forString(obj, !previous?.ignoreEscapes, previous?.warnEscapes);
      if (tokenStr.test()) {
        const fragments = tokenStr.split(tokenMap.lookupToken.bind(tokenMap));
        str = options.resolver.resolveString(fragments, makeContext()[0]);
      }
      const tokenNumberStr = encoding.TokenString.forNumbers(str as string);
      if (tokenNumberStr.test()) {
        const fragments = tokenNumberStr.split((id) => TokenMap.instance().lookupNumberToken(parseFloat(id)));
        str = fragments.mapTokens(makeContext()[0] as never).join(new StringConcat());
      }
      return str;
    }
    if (typeof obj === 'number') {
      if (obj === Token.NUMBER_MAP_TOKEN_VALUE) throw errors.encodedMapTokenInScalarNumberContext();
      const token = TokenMap.instance().lookupNumberToken(obj);
      return token === undefined ? obj : makeContext()[0].resolve(token);
    }
    if (typeof obj !== 'object' || obj instanceof Date) return obj;
    if (Array.isArray(obj)) {
      if (encoding.containsStringListTokenElement(obj)) return options.resolver.resolveList(obj, makeContext()[0]);
      if (encoding.containsNumberListTokenElement(obj)) return options.resolver.resolveNumberList(obj, makeContext()[0]);
      return obj.map((x, i) => resolveChild(x, `${i}`)).filter((x) => typeof x !== 'undefined');
    }
    if (encoding.containsMapToken(obj)) return options.resolver.resolveMap(obj, makeContext()[0]);
    if (encoding.unresolved(obj)) {
      const [context, postProcessor] = makeContext();
      return options.resolver.resolveToken(obj, context, postProcessor);
    }
    const record = obj as Record<string, unknown>;
    if (record._children !== undefined && record._metadata !== undefined) throw errors.constructsCannotBeResolved(pathName());
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(record)) {
      const resolvedKey = resolveChild(key);
      if (typeof resolvedKey !== 'string') throw errors.mapKeyMustResolveToString(pathName(), key, resolvedKey);
      const value = resolveChild(record[key], key);
      if (typeof value === 'undefined') continue;
      result[resolvedKey] = value;
    }
    return result;
  }
  return resolve;
}
