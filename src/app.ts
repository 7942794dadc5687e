/**
 * Builds the cdktf app: one stack per environment, each with the existing objects it adopts
 * (`imports/<env>.json`, read here: stacks and constructs do no I/O). `main.ts` is the entry that
 * the cdktf CLI and `npm run synth` run (through `src/synth.ts`, which validates the configs first).
 */
import { App } from 'cdktf';
import { ImportDefinitions } from './config/imports';
import { loadImports } from './config/imports-file';
import { AnyEnvironmentConfig } from './config/types';
import { MlflowStack } from './stacks/mlflow-stack';

/** The import definitions of an environment. @default read from `imports/<env>.json` */
export type ImportsSource = (config: AnyEnvironmentConfig) => ImportDefinitions;

export function buildApp(app: App, configs: readonly AnyEnvironmentConfig[], importsOf: ImportsSource = (config) => loadImports(config.name)): MlflowStack[] {
  return configs.map((config) => new MlflowStack(app, config, { imports: importsOf(config) }));
}
