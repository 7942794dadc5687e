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

/** Where Terraform keeps the stack's state. */
export type BackendConfig = Infer<typeof backendSchema>;

/** The VPC: CIDR, availability zones, subnets, NAT gateways, flow logs. */
export type NetworkConfig = Infer<typeof networkSchema>;

/** The PostgreSQL database (RDS or Aurora Serverless v2) and its credentials. */
export type DatabaseConfig = Infer<typeof databaseSchema>;

/** The artifacts bucket, its lifecycle, and the access logs bucket. */
export type ArtifactsConfig = Infer<typeof artifactsSchema>;

/** The ECR repository and the image the service runs. */
export type RegistryConfig = Infer<typeof registrySchema>;

/** Target tracking for the ECS service (see `src/constructs/autoscaling.ts`). */
export type AutoscalingConfig = Infer<typeof autoscalingSchema>;

/** The ECS Fargate service: task size, count, names, logs, gunicorn, autoscaling. */
export type ServiceConfig = Infer<typeof serviceSchema>;

/** Authentication in front of the UI (ALB `authenticate-*` action before forward). */
export type AuthConfig = Infer<typeof authSchema>;

/** The public entrance: domain, certificate, authenticating ALB and security groups. */
export type EdgeConfig = Infer<typeof edgeSchema>;

/** WAFv2 web ACL in front of the public entry point (ALB or App Runner service). */
export type WafConfig = Infer<typeof wafSchema>;

/** Authenticated access for programmatic MLflow clients (the ALB's OIDC/Cognito only works for browsers). */
export type ApiAccessConfig = Infer<typeof apiAccessSchema>;

/** Alarm thresholds (see docs/operations.md for the table of defaults and ranges). */
export type AlarmThresholds = Infer<typeof alarmThresholdsSchema>;

/** Alarms: one SNS topic (KMS-encrypted) that every alarm notifies, and a dashboard. */
export type AlarmsConfig = Infer<typeof alarmsSchema>;

/**
 * The App Runner variant's edge: App Runner terminates TLS itself and has no OIDC/Cognito step, so
 * there is no `auth`, ALB or ALB security group; the certificate comes from the custom domain
 * association (validation records in Route53).
 */
export type AppRunnerEdgeConfig = Infer<typeof appRunnerEdgeSchema>;

/** App Runner service settings (the advice's Option B). */
export type AppRunnerConfig = Infer<typeof appRunnerSchema>;

/** Settings every runtime shares. */
export type BaseEnvironmentConfig = Infer<typeof baseEnvironmentSchema>;

/**
 * ECS Fargate behind an authenticating ALB (the advice's Option A). Keeps the name
 * `EnvironmentConfig` from the first release, so code that reads `service` or `edge.auth` is unchanged.
 */
export type EnvironmentConfig = Infer<typeof ecsEnvironmentSchema>;

/** App Runner (the advice's Option B). */
export type AppRunnerEnvironmentConfig = Infer<typeof appRunnerEnvironmentSchema>;

/** What the ECS runtime's edge needs (the authenticating ALB). Unchanged from the first release. */
export type EcsEdgeConfig = EdgeConfig;

export type EcsEnvironmentConfig = EnvironmentConfig;

/** Any environment: a discriminated union on `runtime` (absent means `ecs`). */
export type AnyEnvironmentConfig = EnvironmentConfig | AppRunnerEnvironmentConfig;

export function isAppRunner(config: AnyEnvironmentConfig): config is AppRunnerEnvironmentConfig {
  return config.runtime === 'apprunner';
}
