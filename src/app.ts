/**
 * Builds the cdktf app: validates every environment first (all problems at once), then creates one
 * stack per environment. `main.ts` is the entry that the cdktf CLI and `npm run synth` run.
 */
import { App } from 'cdktf';
import { AnyEnvironmentConfig } from './config/types';
import { MlflowStack } from './stacks/mlflow-stack';

export function buildApp(app: App, configs: readonly AnyEnvironmentConfig[]): MlflowStack[] {
  return configs.map((config) => new MlflowStack(app, config));
}
