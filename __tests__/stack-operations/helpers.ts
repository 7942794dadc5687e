/** In-memory synthesis of any environment (ECS or App Runner) for the operations tests. */
import { Testing } from 'cdktf';
import { AnyEnvironmentConfig } from '../../src/config/types';
import { buildApp } from '../../src/app';
import { APP_CONTEXT } from '../../src/synth';
import { Json } from '../helpers/synth';

export function synthAny(config: AnyEnvironmentConfig): Json {
  const app = Testing.app({ context: APP_CONTEXT });
  return JSON.parse(Testing.synth(buildApp(app, [config])[0]));
}

/** Every resource as `[type, name, body]`. */
export function allResources(stack: Json): [string, string, Json][] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName as Record<string, Json>).map(([name, body]) => [type, name, body] as [string, string, Json]));
}
