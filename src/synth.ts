/**
 * The synth entry's logic: apply environment overrides, validate every environment (all problems
 * reported together), synthesize into a temporary directory, and only then replace `cdktf.out`.
 * A bad config exits non-zero and leaves the previous output untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { formatTokenStackTracesLazily, providerPresenceProblems, resolveTokensWithLighterContexts, synthWithoutPreparingPass } from './cdktf-internals';
import { AnyEnvironmentConfig } from './config/types';
import { ConfigError, ConfigProblem, validateEnvironments } from './config/validate';
import { buildApp } from './app';

/** Context that keeps logical ids readable (see `stacks/logical-ids.ts`). Same as cdktf.json's. */
export const APP_CONTEXT = { excludeStackIdFromLogicalIds: 'true', allowSepCharsInLogicalIds: 'true' };

/** Each stack's committed provider lock file (see docs/first-deploy.md, "Provider pinning"). */
export const LOCK_FILE = '.terraform.lock.hcl';

/**
 * Carries each stack's `.terraform.lock.hcl` from the previous output into the new one: the lock
 * files are committed (they pin the provider builds for CI, laptops and Terraform Cloud, which runs
 * in cdktf.out/stacks/<stack>) and synth does not write them, so a synth must not delete them.
 */
function keepLockFiles(previous: string, next: string): void {
  const stacksDir = path.join(previous, 'stacks');
  if (!fs.existsSync(stacksDir)) return;
  for (const stack of fs.readdirSync(stacksDir)) {
    const lock = path.join(stacksDir, stack, LOCK_FILE);
    const target = path.join(next, 'stacks', stack);
    if (fs.existsSync(lock) && fs.existsSync(target)) fs.copyFileSync(lock, path.join(target, LOCK_FILE));
  }
}

/**
 * The construct validations synth runs: cdktf's own `ValidateProviderPresence` on every stack
 * (every provider a resource uses is configured). cdktf also adds a `ValidateTerraformVersion`
 * to each cloud backend (and to import blocks, moves and terraform_data), which runs
 * `terraform version` in a shell once per stack: about 0.1 s each, a third of the whole synth. It
 * checks the terraform on the machine that synthesizes, not the one that plans and applies (the
 * HCP Terraform workspace, or the binary `npm run validate` runs, which reject what they do not
 * support themselves), and it made synth fail where no terraform is installed. So the app is
 * created with `skipValidation: true` and this runs the rest, with the same error as cdktf's.
 */
export function validateStacks(app: App): void {
  const errors: string[] = [];
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    for (const message of providerPresenceProblems(stack)) errors.push(`[${stack.node.path}] ${message}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * Synthesizes the given environments into `outdir` (replaced as a whole). Throws ConfigError on bad
 * config; `knownProblems` (e.g. of the override variables) are reported with the config's own.
 */
export function synthesize(configs: readonly AnyEnvironmentConfig[], outdir: string, knownProblems: readonly ConfigProblem[] = []): void {
  const problems = [...knownProblems, ...validateEnvironments(configs)];

  if (problems.length > 0) throw new ConfigError(problems);
  const absOut = path.resolve(outdir);
  const staging = `${absOut}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  formatTokenStackTracesLazily();
  resolveTokensWithLighterContexts();
  try {
    const build = (): App => {
      const app = new App({ outdir: staging, stackTraces: false, skipValidation: true, context: APP_CONTEXT });
      buildApp(app, configs);
      return app;
    };
    let app = build();
    // Without cdktf's preparing pass (a quarter of the CPU), unless a stack references another's
    // resource: then again, from a new app, the way cdktf does it.
    if (!synthWithoutPreparingPass(app)) {
      fs.rmSync(staging, { recursive: true, force: true });
      app = build();
      app.synth();
    }
    // After synth (aspects have run), before the output replaces cdktf.out.
    validateStacks(app);
    keepLockFiles(absOut, staging);
    // Swap: everything cdktf wrote replaces the previous output in one rename.
    const old = `${absOut}.old-${process.pid}`;
    if (fs.existsSync(absOut)) fs.renameSync(absOut, old);
    fs.renameSync(staging, absOut);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** What one synthesized stack holds, counted from its cdk.tf.json. */
export interface StackSummary {
  readonly stack: string;
  /** The stack's cdk.tf.json, relative to the working directory. */
  readonly file: string;
  readonly resources: number;
  readonly dataSources: number;
  readonly imports: number;
  readonly outputs: number;
  /** The backend block's type (`local`, `s3`, `cloud`, ...). */
  readonly backend: string;
}

/** Counts what each stack of a synth output directory holds (from its manifest). */
export function summarizeSynth(outdir: string, cwd: string = process.cwd()): StackSummary[] {
  const abs = path.resolve(cwd, outdir);
  const manifest = JSON.parse(fs.readFileSync(path.join(abs, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const count = (blocks: Record<string, Record<string, unknown>> | undefined) => Object.values(blocks ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return Object.keys(manifest.stacks)
    .sort()
    .map((stack) => {
      const file = path.join(abs, manifest.stacks[stack].synthesizedStackPath);
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      const tf = json.terraform ?? {};
      return {
        stack,
        file: path.relative(cwd, file) || file,
        resources: count(json.resource),
        dataSources: count(json.data),
        imports: Array.isArray(json.import) ? json.import.length : 0,
        outputs: Object.keys(json.output ?? {}).length,
        backend: tf.cloud ? 'cloud' : Object.keys(tf.backend ?? {})[0] ?? 'local',
      };
    });
}
