/**
 * The synth entry's logic: apply environment overrides, validate every environment (all problems
 * reported together), synthesize into a temporary directory, and only then replace `cdktf.out`.
 * A bad config exits non-zero and leaves the previous output untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { environments } from './config/environments';
import { resolveEnvironments } from './config/overrides';
import { exampleValuesWarning } from './config/placeholders';
import { AnyEnvironmentConfig } from './config/types';
import { ConfigError, ConfigProblem, formatProblems, validateEnvironments } from './config/validate';
import { buildApp } from './app';
import { ImportsError } from './migration/imports';

/** Context that keeps logical ids readable (see `stacks/logical-ids.ts`). Same as cdktf.json's. */
export const APP_CONTEXT = { excludeStackIdFromLogicalIds: 'true', allowSepCharsInLogicalIds: 'true' };

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
  try {
    const app = new App({ outdir: staging, stackTraces: false, skipValidation: false, context: APP_CONTEXT });
    buildApp(app, configs);
    app.synth();
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
  const { configs, problems } = resolveEnvironments(environments, env);
  const outdir = env.CDKTF_OUTDIR || 'cdktf.out';
  try {
    synthesize(configs, outdir, problems);
    const warning = exampleValuesWarning(configs);
    if (warning) stderr.write(`synth: ${warning}\n`);
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
