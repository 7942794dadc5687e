/**
 * The types of an environment's config: each is `z.infer` of its schema in `src/config/schema.ts`,
 * which documents every field (hover a field to read its documentation and default). This module
 * has no runtime dependency (no zod, no cdktf): it is plain data, shared by the stacks, the
 * migration planner, the policy checks and the CLIs. One object per environment
 * (`src/config/environments/`), validated by `validateEnvironment` before anything is synthesized.
 */
import type { z } from 'zod';
import type {
  backendSchema,
  networkSchema,
  databaseSchema,
  artifactsSchema,
  registrySchema,
  autoscalingSchema,
  serviceSchema,
  authSchema,
  edgeSchema,
  wafSchema,
  apiAccessSchema,
  alarmThresholdsSchema,
  alarmsSchema,
  appRunnerEdgeSchema,
  appRunnerSchema,
  baseEnvironmentSchema,
  ecsEnvironmentSchema,
  appRunnerEnvironmentSchema,
} from './schema';

/** The inferred type, read-only all the way down (configs are data; nothing mutates them). */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

type Infer<S extends z.ZodType> = DeepReadonly<z.infer<S>>;

export type BackendConfig = Infer<typeof backendSchema>;
export type NetworkConfig = Infer<typeof networkSchema>;
export type DatabaseConfig = Infer<typeof databaseSchema>;
export type ArtifactsConfig = Infer<typeof artifactsSchema>;
export type RegistryConfig = Infer<typeof registrySchema>;
export type AutoscalingConfig = Infer<typeof autoscalingSchema>;
export type ServiceConfig = Infer<typeof serviceSchema>;
export type AuthConfig = Infer<typeof authSchema>;
export type EdgeConfig = Infer<typeof edgeSchema>;
export type WafConfig = Infer<typeof wafSchema>;
export type ApiAccessConfig = Infer<typeof apiAccessSchema>;
export type AlarmThresholds = Infer<typeof alarmThresholdsSchema>;
export type AlarmsConfig = Infer<typeof alarmsSchema>;
export type AppRunnerEdgeConfig = Infer<typeof appRunnerEdgeSchema>;
export type AppRunnerConfig = Infer<typeof appRunnerSchema>;
export type BaseEnvironmentConfig = Infer<typeof baseEnvironmentSchema>;
export type EnvironmentConfig = Infer<typeof ecsEnvironmentSchema>;
export type AppRunnerEnvironmentConfig = Infer<typeof appRunnerEnvironmentSchema>;

/** What the ECS runtime's edge needs (the authenticating ALB). Unchanged from the first release. */
export type EcsEdgeConfig = EdgeConfig;

export type EcsEnvironmentConfig = EnvironmentConfig;

/** Any environment: a discriminated union on `runtime` (absent means `ecs`). */
export type AnyEnvironmentConfig = EnvironmentConfig | AppRunnerEnvironmentConfig;

export function isAppRunner(config: AnyEnvironmentConfig): config is AppRunnerEnvironmentConfig {
  return config.runtime === 'apprunner';
}
