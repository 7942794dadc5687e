/**
 * Runs the pack over the shipped environments in memory: the same app `npm run synth` builds
 * (environment overrides applied, configs validated), with the pack added as an Aspect and the
 * aspects invoked, without writing cdktf.out. It composes the app and the pack, so it lives beside
 * `app.ts` and `synth.ts`, not in `src/policy/` (the pack never loads the stacks).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects } from 'cdktf';
import { invokeAspects } from './cdktf-internals';
import { buildApp } from './app';
import { AnyEnvironmentConfig } from './config/types';
import { ConfigError, validateEnvironments } from './config/validate';
import { APP_CONTEXT } from './synth';
import { PolicyPack, PolicyPackOptions, StackFindings } from './policy/pack';

/** Builds the stacks of `configs`, applies a pack to each, and returns the findings per stack. */
export function checkEnvironments(configs: readonly AnyEnvironmentConfig[], options: PolicyPackOptions = {}): StackFindings[] {
  const problems = validateEnvironments(configs);
  if (problems.length > 0) throw new ConfigError(problems);
  // App() creates its outdir; give it a throwaway one so nothing lands in cdktf.out.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-check-'));
  try {
    const app = new App({ outdir, stackTraces: false, skipValidation: true, context: APP_CONTEXT });
    const stacks = buildApp(app, configs);
    const pack = new PolicyPack(options);
    for (const stack of stacks) Aspects.of(stack).add(pack);
    invokeAspects(app);
    return pack.results();
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
