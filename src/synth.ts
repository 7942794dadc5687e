/**
 * The synth entry's logic: apply environment overrides, validate every environment (all problems
 * reported together), synthesize into a temporary directory, and only then replace `cdktf.out`.
 * A bad config exits non-zero and leaves the previous output untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { ValidateProviderPresence } from 'cdktf/lib/validations/validate-provider-presence';
import { environments } from './config/environments';
import { applyEnvironmentOverrides } from './config/overrides';
import { AnyEnvironmentConfig } from './config/types';
import { ConfigError, formatProblems, validateEnvironments } from './config/validate';
import { buildApp } from './app';
import { ImportsError } from './migration/imports';

/** Context that keeps logical ids readable (see `stacks/logical-ids.ts`). Same as cdktf.json's. */
export const APP_CONTEXT = { excludeStackIdFromLogicalIds: 'true', allowSepCharsInLogicalIds: 'true' };

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
    for (const message of new ValidateProviderPresence(stack).validate()) errors.push(`[${stack.node.path}] ${message}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/** Synthesizes the given environments into `outdir` (replaced as a whole). Throws ConfigError on bad config. */
export function synthesize(configs: readonly AnyEnvironmentConfig[], outdir: string): void {
  const problems = validateEnvironments(configs);
  if (problems.length > 0) throw new ConfigError(problems);
  const absOut = path.resolve(outdir);
  const staging = `${absOut}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const app = new App({ outdir: staging, stackTraces: false, skipValidation: true, context: APP_CONTEXT });
    buildApp(app, configs);
    app.synth();
    // After synth (aspects have run), before the output replaces cdktf.out.
    validateStacks(app);
    // Swap: everything cdktf wrote replaces the previous output in one rename.
    const old = `${absOut}.old-${process.pid}`;
    if (fs.existsSync(absOut)) fs.renameSync(absOut, old);
    fs.renameSync(staging, absOut);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Runs the synth for the shipped environments; returns the process exit code. */
export function runSynth(env: NodeJS.ProcessEnv, stderr: { write(text: string): unknown }): number {
  const configs = environments.map((c) => applyEnvironmentOverrides(c, env));
  const outdir = env.CDKTF_OUTDIR || 'cdktf.out';
  try {
    synthesize(configs, outdir);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ImportsError) {
      const text = err instanceof ConfigError ? formatProblems(err.problems) : err.message;
      stderr.write(`synth: ${text}\nsynth: nothing was written; ${outdir} is unchanged.\n`);
      return 1;
    }
    throw err;
  }
}
