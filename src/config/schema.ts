/**
 * The schema of an environment's config: one source of truth for its shape and its types.
 *
 * Each section is a zod schema of strict objects (an unknown key is an error), documented field by
 * field; `src/config/types.ts` gives each its TypeScript type (`z.infer`, read-only). Synth runs
 * TypeScript transpile-only, so this schema is what checks the shape at run time (types, enums,
 * required fields, unknown keys, each with the field's path: `src/config/shape.ts`), reported
 * together with the value checks of `src/config/validate.ts` (formats, ranges, relations).
 *
 * To add a config field: add it here, with its JSDoc and documented default. Its range or format
 * rule goes to validate.ts, its default (if any) to defaults.ts. Loaded only where a config is
 * validated (zod costs ~50 ms at start-up; the CLI's other commands do without it).
 */
import { z } from 'zod';

// A config is parsed a few times per process: compiling zod's fast paths (new Function) would cost
// more than it saves (about 20 ms at synth start-up).
z.config({ jitless: true });

/** Where Terraform keeps the stack's state. */
export const backendSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('local'),
    /** Relative path of the state file, from the stack's directory (`cdktf.out/stacks/<stack>`). */
    path: z.string(),
  }),
  z.strictObject({
    type: z.literal('s3'),
    bucket: z.string(),
    key: z.string(),
    region: z.string(),
    /**
     * S3-native state locking (Terraform >= 1.10).
     * @default true
     */
    useLockfile: z.boolean().optional(),
    /** Optional legacy DynamoDB lock table (kept for teams that still use one). */
    dynamodbTable: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('cloud'),
    /** Terraform Cloud / HCP Terraform organization. */
    organization: z.string(),
    /** Workspace name (one workspace per stack). */
    workspace: z.string(),
    /** @default 'app.terraform.io' */
    hostname: z.string().optional(),
  }),
]);

/** A route to a client network: its CIDR and exactly one target (checked in validate.ts). */
export const clientRouteSchema = z.strictObject({
  /** IPv4 CIDR of the client network, `/8` or longer, outside the VPC. */
  cidr: z.string(),
  /** Transit gateway the private subnets reach the client network through (`tgw-...`). */
  transitGatewayId: z.string().optional(),
  /** VPC peering connection to the client network (`pcx-...`). */
  vpcPeeringConnectionId: z.string().optional(),
});

/** The VPC: CIDR, availability zones, subnets, NAT gateways, flow logs. */
export const networkSchema = z.strictObject({
  /** VPC CIDR, e.g. `10.20.0.0/16`. */
  vpcCidr: z.string(),
  /** Availability zones, at least 2, in the environment's region (taken from config, never looked up). */
  availabilityZones: z.array(z.string()),
  /** One public subnet CIDR per availability zone, in the same order. */
  publicSubnetCidrs: z.array(z.string()),
  /** One private subnet CIDR per availability zone, in the same order. */
  privateSubnetCidrs: z.array(z.string()),
  /**
   * `single`: one NAT gateway in the first AZ (cheaper, the AZ is a single point of failure for egress).
   * `per-az`: one NAT gateway and private route table per AZ.
   */
  natGateways: z.enum(['single', 'per-az']),
  /** VPC flow log retention in days (CloudWatch Logs). */
  flowLogRetentionDays: z.number(),
  /**
   * Networks outside the VPC whose clients reach MLflow (VPN, peered or transit-attached VPCs): a
   * route to each in every private route table, so replies from the internal ALB and the tasks go
   * back the way the request came instead of to the NAT gateway. Each is its own `aws_route`, and
   * the private route tables have no inline routes, so an apply never removes a route it does not
   * manage. Every `apiAccess.allowedCidrs` entry outside the VPC must be covered by one. @default []
   */
  clientRoutes: z.array(clientRouteSchema).optional(),
});

/** The PostgreSQL database (RDS or Aurora Serverless v2) and its credentials. */
export const databaseSchema = z.strictObject({
  /**
   * `postgres`: RDS for PostgreSQL (single-AZ or Multi-AZ by `multiAz`).
   * `aurora-postgresql`: Aurora PostgreSQL Serverless v2 (see `aurora`).
   */
  engine: z.enum(['postgres', 'aurora-postgresql']),
  /** DB instance identifier (or Aurora cluster identifier). Changing it replaces the database. */
  identifier: z.string(),
  /**
   * PostgreSQL major version, e.g. `15` (the AWS provider matches it as a prefix of the running
   * version): RDS applies minor upgrades itself (`auto_minor_version_upgrade`), so a minor pin
   * would make the next plan try to downgrade.
   */
  engineVersion: z.string(),
  /** Database name MLflow uses. */
  name: z.string(),
  /** Master user name. */
  username: z.string(),
  /** Instance class, e.g. `db.t3.micro`, `db.r6g.large` (RDS) — ignored for Aurora Serverless v2 (`db.serverless`). */
  instanceClass: z.string(),
  /** Allocated storage in GiB (RDS only). */
  allocatedStorageGiB: z.number(),
  /** Storage autoscaling ceiling in GiB (RDS only). */
  maxAllocatedStorageGiB: z.number(),
  /** RDS Multi-AZ standby. Aurora spreads instances instead (see `aurora`). */
  multiAz: z.boolean(),
  /** Automated backup retention, 1..35 days. */
  backupRetentionDays: z.number(),
  /** Deletion protection. Required in production. */
  deletionProtection: z.boolean(),
  /** Take a final snapshot on destroy. Required in production. */
  finalSnapshot: z.boolean(),
  /**
   * `random`: a `random_password` stored with the connection details in a Secrets Manager secret the
   * stack owns (the legacy layout; required with the App Runner runtime, which cannot pick up a
   * rotated password). `rds-managed`: RDS generates and rotates (every 7 days) the master password
   * in its own secret (`manage_master_user_password`); the ECS tasks' health check fails on the old
   * password, so ECS replaces them and the new tasks read the current one.
   */
  passwordMode: z.enum(['random', 'rds-managed']),
  /**
   * Special characters the random password may contain. The entrypoint URL-encodes the password, so
   * any set is safe inside the connection URI; the default keeps to RFC 3986 unreserved characters.
   * Changing it on an existing password generates a new password.
   * @default '-_.~'
   */
  passwordSpecialCharacters: z.string().optional(),
  /** Name of the Secrets Manager secret with the connection details (`random` mode). */
  secretName: z.string(),
  /** DB subnet group name. */
  subnetGroupName: z.string(),
  /** Aurora Serverless v2 capacity, required when engine is `aurora-postgresql`. */
  aurora: z
    .strictObject({
      minCapacityAcu: z.number(),
      maxCapacityAcu: z.number(),
      /** Number of instances (writer + readers). Two or more spreads them across AZs. */
      instances: z.number(),
    })
    .optional(),
  /**
   * Storage encryption key. `aws-managed` (the `aws/rds` key) is what a database created without a
   * key uses; changing the key of an existing instance replaces it, so legacy databases keep it.
   * `customer-managed`: the stack's KMS key.
   */
  storageKms: z.enum(['aws-managed', 'customer-managed']),
  /** Performance Insights retention in days (7 or a multiple of 31 up to 731). */
  performanceInsightsRetentionDays: z.number(),
});

/** The artifacts bucket, its lifecycle, and the access logs bucket. */
export const artifactsSchema = z.strictObject({
  /** The one artifacts bucket, e.g. `fraud-scoring-models-123456789012`. */
  bucketName: z.string(),
  /** Key prefix MLflow writes under, without leading slash, ending in `/`, e.g. `mlflow-artifacts/`. */
  prefix: z.string(),
  /** Days before objects move to STANDARD_IA (>= 30, an S3 rule). */
  transitionToIaDays: z.number(),
  /** Days before objects move to GLACIER (> transitionToIaDays). */
  transitionToGlacierDays: z.number(),
  /** Days after which noncurrent versions are deleted. */
  noncurrentVersionExpirationDays: z.number(),
  /** Name of the bucket that receives ALB (and S3 server) access logs. */
  accessLogsBucketName: z.string(),
  /** Access log retention in days. */
  accessLogRetentionDays: z.number(),
  /**
   * `terraform destroy` empties both buckets (every object version) before deleting them. Without
   * it a destroy stops at the first bucket holding an object, and the access-log bucket always
   * does (S3 delivers server access logs of terraform's own reads). For disposable environments
   * only; refused in production.
   * @default false
   */
  forceDestroy: z.boolean().optional(),
  /**
   * `direct`: clients write artifacts straight to S3 (they need IAM on the prefix; the stack emits a
   * managed policy for them). `proxied`: the server proxies artifact traffic (`--artifacts-destination`).
   * @default 'proxied'
   */
  mode: z.enum(['direct', 'proxied']).optional(),
});

/** The ECR repository and the image the service runs. */
export const registrySchema = z.strictObject({
  /** ECR repository name. */
  repositoryName: z.string(),
  /** Days after which untagged images expire. Tagged images (deployable) never expire. */
  untaggedExpiryDays: z.number(),
  /**
   * The image the service runs: a digest (`sha256:<64 hex>`, preferred) or an immutable tag from
   * `docker/build-push`. Overridable at synth with `MLFLOW_IMAGE_DIGEST_<ENV>` / `MLFLOW_IMAGE_TAG_<ENV>`
   * (environment name upper-cased, `-` as `_`).
   */
  image: z.union([z.strictObject({ digest: z.string() }), z.strictObject({ tag: z.string() })], {
    error: 'must be { digest: "sha256:<64 hex>" } or { tag: "<immutable tag>" }',
  }),
});

/** Target tracking for the ECS service (see `src/constructs/autoscaling.ts`). */
export const autoscalingSchema = z.strictObject({
  /** Minimum task count (>= 2 in production). */
  minCount: z.number(),
  /** Maximum task count (>= minCount, <= 100). */
  maxCount: z.number(),
  /** Average CPU utilization to track, percent (10..90). @default 60 */
  cpuTargetPercent: z.number().optional(),
  /** Average memory utilization to track, percent (10..90). @default 70 */
  memoryTargetPercent: z.number().optional(),
  /** ALB requests per target to track (ALBRequestCountPerTarget); absent: no request tracking. */
  requestsPerTarget: z.number().optional(),
  /** Seconds after a scale-in before another (60..3600). @default 300 */
  scaleInCooldownSeconds: z.number().optional(),
  /** Seconds after a scale-out before another (0..3600). @default 60 */
  scaleOutCooldownSeconds: z.number().optional(),
});

/** The ECS Fargate service: task size, count, names, logs, gunicorn, autoscaling. */
export const serviceSchema = z.strictObject({
  /** Fargate CPU units (256, 512, 1024, 2048, 4096). */
  cpu: z.number(),
  /** Fargate memory in MiB; must be a valid combination with `cpu`. */
  memoryMiB: z.number(),
  /** CPU architecture of the image (`docker/build-push --platform` must match). */
  cpuArchitecture: z.enum(['X86_64', 'ARM64']),
  /** Desired task count; >= 2 in production. */
  desiredCount: z.number(),
  /** ECS cluster name. */
  clusterName: z.string(),
  /** ECS service name. */
  serviceName: z.string(),
  /** Task definition family. */
  taskFamily: z.string(),
  /** Container log group name. */
  logGroupName: z.string(),
  /** Log retention in days; one of CloudWatch's allowed values, >= 365 in production. */
  logRetentionDays: z.number(),
  /** Task execution role name. */
  executionRoleName: z.string(),
  /** Task role name. */
  taskRoleName: z.string(),
  /** gunicorn workers per task. */
  gunicornWorkers: z.number(),
  /**
   * gunicorn worker timeout in seconds. Must be below the ALB idle timeout so that the ALB never
   * cuts a request gunicorn is still serving (502s on slow artifact requests otherwise).
   */
  gunicornTimeoutSeconds: z.number(),
  /** Health check grace period for new tasks, seconds. */
  healthCheckGracePeriodSeconds: z.number(),
  /** Task ephemeral storage in GiB (21..200), sized for proxied artifact uploads. */
  ephemeralStorageGiB: z.number(),
  /**
   * Application Auto Scaling of the service. When set, `desiredCount` is only the initial
   * count (it must lie within [minCount, maxCount]) and Terraform ignores later changes of the
   * running count. Absent: a fixed `desiredCount`.
   */
  autoscaling: autoscalingSchema.optional(),
});

/** Authentication in front of the UI (ALB `authenticate-*` action before forward). */
export const authSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('cognito'),
    /** Cognito hosted UI domain prefix (`<prefix>.auth.<region>.amazoncognito.com`). */
    domainPrefix: z.string(),
    /** User pool name. */
    userPoolName: z.string(),
    /** Session timeout in seconds. */
    sessionTimeoutSeconds: z.number(),
  }),
  z.strictObject({
    type: z.literal('oidc'),
    issuer: z.string(),
    authorizationEndpoint: z.string(),
    tokenEndpoint: z.string(),
    userInfoEndpoint: z.string(),
    clientId: z.string(),
    /** The client secret comes from the sensitive Terraform variable `oidc_client_secret`, never from code. */
    sessionTimeoutSeconds: z.number(),
    /** @default 'openid email' */
    scope: z.string().optional(),
  }),
]);

/** A security group's name and description (descriptions force replacement when changed). */
const securityGroupSchema = z.strictObject({ name: z.string(), description: z.string() });

/** The public entrance: domain, certificate, authenticating ALB and security groups. */
export const edgeSchema = z.strictObject({
  /** Apex domain, e.g. `example.com`. */
  domainName: z.string(),
  /** Hostname served, e.g. `mlflow.example.com` (must be within `domainName`). */
  hostname: z.string(),
  /** Route53 public hosted zone id for `domainName` (from config, never looked up). */
  hostedZoneId: z.string(),
  /** `create`: an ACM certificate validated through Route53. `existing`: an ACM certificate ARN. */
  certificate: z.discriminatedUnion('mode', [z.strictObject({ mode: z.literal('create') }), z.strictObject({ mode: z.literal('existing'), arn: z.string() })]),
  auth: authSchema,
  /** ALB name. */
  loadBalancerName: z.string(),
  /** Target group name (<= 32 characters). */
  targetGroupName: z.string(),
  /** ALB idle timeout in seconds; must exceed the gunicorn timeout. */
  idleTimeoutSeconds: z.number(),
  /** Target group deregistration delay in seconds. */
  deregistrationDelaySeconds: z.number(),
  /** ALB deletion protection. Required in production. */
  deletionProtection: z.boolean(),
  /** Security group names and descriptions (descriptions force replacement when changed). */
  securityGroups: z.strictObject({ alb: securityGroupSchema, tasks: securityGroupSchema, database: securityGroupSchema }),
});

/** WAFv2 web ACL in front of the public entry point (ALB or App Runner service). */
export const wafSchema = z.strictObject({
  /** Requests one client IP may send per 5 minutes before it is blocked (10..2,000,000,000). @default 2000 */
  rateLimitPer5Minutes: z.number().optional(),
  /**
   * IPv4 CIDRs allowed to reach the site at all. When non-empty, every request from another
   * address is blocked (an `aws_wafv2_ip_set` and a block rule). @default [] (no allow-list)
   */
  allowListCidrs: z.array(z.string()).optional(),
  /** Retention of the WAF log group (`aws-waf-logs-<prefix>`), a CloudWatch value; >= 365 in production. @default 365 */
  logRetentionDays: z.number().optional(),
});

/** Authenticated access for programmatic MLflow clients (the ALB's OIDC/Cognito only works for browsers). */
export const apiAccessSchema = z.strictObject({
  /**
   * `none`: browsers only (through the authenticating ALB).
   * `apigateway-iam`: an API Gateway HTTP API with IAM (SigV4) authorization on `/api/*` and
   * `/ajax-api/*`, reaching an internal ALB through a VPC link (`MLFLOW_TRACKING_AWS_SIGV4=true`).
   * `internal-alb`: an internal ALB reachable only from `allowedSecurityGroupIds` and
   * `allowedCidrs` (ECS jobs, SageMaker, VPN) on HTTPS, forwarding to a second ECS service
   * that runs MLflow's basic-auth app (clients authenticate with MLflow users; see docs/operations.md).
   * @default 'none'
   */
  mode: z.enum(['none', 'internal-alb', 'apigateway-iam']),
  /**
   * Client hostname, e.g. `mlflow-api.example.com` (inside edge.domainName): the API Gateway custom
   * domain (`apigateway-iam`) or the internal ALB's DNS name (`internal-alb`, required there), with
   * its own ACM certificate. Absent with `apigateway-iam`: clients use the execute-api endpoint.
   */
  hostname: z.string().optional(),
  /** `internal-alb`: security groups (in the VPC) allowed to connect on 443. @default [] */
  allowedSecurityGroupIds: z.array(z.string()).optional(),
  /** `internal-alb`: CIDRs allowed to connect on 443 (VPN, peered VPCs); never 0.0.0.0/0. @default [] */
  allowedCidrs: z.array(z.string()).optional(),
  /** Internal ALB name (<= 32 characters). @default '<namePrefix>-api' */
  loadBalancerName: z.string().optional(),
  /** Internal target group name (<= 32 characters). @default '<namePrefix>-api-tg' */
  targetGroupName: z.string().optional(),
  /** Retention of the API Gateway access log group. @default 365 */
  logRetentionDays: z.number().optional(),
  /** API Gateway stage throttling: steady-state requests per second and burst. @default { rate: 200, burst: 400 } */
  throttle: z.strictObject({ ratePerSecond: z.number(), burst: z.number() }).optional(),
  /**
   * `internal-alb`: initial task count of the basic-auth API service (1..100, >= 2 in production,
   * within `autoscaling` [minCount, maxCount]); Application Auto Scaling owns it afterwards.
   * @default apiAccess.autoscaling.minCount, else service.autoscaling.minCount, else service.desiredCount
   */
  desiredCount: z.number().optional(),
  /**
   * `internal-alb`: target tracking of the API service, the same settings as `service.autoscaling`
   * (the API service always scales; every field is optional here).
   * @default { minCount: apiAccess.desiredCount (see its default), maxCount: 2 x minCount (at most 100), cpuTargetPercent: 60, memoryTargetPercent: 70, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 }
   */
  autoscaling: autoscalingSchema.partial().optional(),
  /** `internal-alb`: Secrets Manager name of the API service's basic-auth admin password. @default '<namePrefix>/mlflow/api-admin-password' */
  adminPasswordSecretName: z.string().optional(),
});

/** Alarm thresholds (see docs/operations.md for the table of defaults and ranges). */
export const alarmThresholdsSchema = z.strictObject({
  /** ALB-generated 5xx responses per 5 minutes. @default 10 */
  elb5xxPer5Minutes: z.number(),
  /** Target (MLflow) 5xx responses per 5 minutes. @default 10 */
  target5xxPer5Minutes: z.number(),
  /** Unhealthy targets (minimum over 1 minute, 2 of 3 minutes). @default 1 */
  unhealthyHosts: z.number(),
  /** p95 target response time, seconds (ALB) / p95 request latency (App Runner, converted to ms). @default 3 */
  responseTimeP95Seconds: z.number(),
  /** Database CPU, percent. @default 80 */
  dbCpuPercent: z.number(),
  /** Database free storage, GiB (RDS FreeStorageSpace / Aurora FreeLocalStorage). @default 5 */
  dbFreeStorageGiB: z.number(),
  /** Database connections. @default 100 */
  dbConnections: z.number(),
  /** Database freeable memory, MiB. @default 256 */
  dbFreeableMemoryMiB: z.number(),
  /** ECS service CPU, percent. @default 85 */
  ecsCpuPercent: z.number(),
  /** ECS service memory, percent. @default 85 */
  ecsMemoryPercent: z.number(),
});

/** Alarms: one SNS topic (KMS-encrypted) that every alarm notifies, and a dashboard. */
export const alarmsSchema = z.strictObject({
  /** E-mail addresses subscribed to the topic (each must confirm). @default [] */
  emails: z.array(z.string()).optional(),
  /** Overrides of the default thresholds. */
  thresholds: alarmThresholdsSchema.partial().optional(),
});

/**
 * The App Runner variant's edge: App Runner terminates TLS itself and has no OIDC/Cognito step, so
 * there is no `auth`, ALB or ALB security group; the certificate comes from the custom domain
 * association (validation records in Route53).
 */
export const appRunnerEdgeSchema = z.strictObject({
  domainName: z.string(),
  /** Custom domain of the service, e.g. `mlflow.example.com`. */
  hostname: z.string(),
  hostedZoneId: z.string(),
  /**
   * Number of certificate validation records App Runner returns for `hostname` (2 for one
   * name without `www`). Terraform needs the count at plan time: the record names are only known
   * after the association exists. @default 2
   */
  certificateValidationRecords: z.number().optional(),
  securityGroups: z.strictObject({
    /** The VPC connector's group (egress to PostgreSQL and HTTPS). */
    connector: securityGroupSchema,
    database: securityGroupSchema,
  }),
});

/** App Runner service settings (the advice's Option B). */
export const appRunnerSchema = z.strictObject({
  serviceName: z.string(),
  /** CPU units: 256, 512, 1024, 2048 or 4096. */
  cpu: z.number(),
  /** Memory in MiB; must be an App Runner combination with `cpu`. */
  memoryMiB: z.number(),
  /** Instances kept warm (1..25). */
  minSize: z.number(),
  /** Instance ceiling (minSize..25). */
  maxSize: z.number(),
  /** Concurrent requests per instance before scaling out (1..200). */
  maxConcurrency: z.number(),
  /** Auto scaling configuration name (4-32 characters). */
  autoScalingConfigurationName: z.string(),
  /** VPC connector name (4-40 characters). */
  vpcConnectorName: z.string(),
  accessRoleName: z.string(),
  instanceRoleName: z.string(),
  gunicornWorkers: z.number(),
  /** gunicorn timeout; below App Runner's fixed 120 s request timeout. */
  gunicornTimeoutSeconds: z.number(),
  /**
   * App Runner has no OIDC at the edge, so protection is an explicit choice, never none:
   * `waf-allow-list`: only waf.allowListCidrs reach the service (required non-empty);
   * `basic-auth`: MLflow's own basic-auth app (MLFLOW_AUTH=basic-auth) with a generated admin
   * password in Secrets Manager.
   */
  protection: z.enum(['waf-allow-list', 'basic-auth']),
  /** Secrets Manager secret holding the basic-auth admin password. @default '<namePrefix>/mlflow/admin-password' */
  adminPasswordSecretName: z.string().optional(),
});

/** Settings every runtime shares. */
export const baseEnvironmentSchema = z.strictObject({
  /** Environment name: `staging`, `production`, ... (lower-case letters, digits, `-`). */
  name: z.string(),
  /** The cdktf stack name, a contract with scripts and Terraform Cloud: `mlflow-<name>`. */
  stackName: z.string(),
  /** Whether production-only requirements apply (desired count >= 2, deletion protection, ...). */
  production: z.boolean(),
  /** Project name used in names and tags, e.g. `fraud-scoring`. */
  project: z.string(),
  /**
   * Prefix of derived resource names and Name tags (`<prefix>-vpc`, `<prefix>-ecs-task-s3`, ...).
   * Production keeps the legacy `fraud-scoring` so migrated resources keep their names.
   */
  namePrefix: z.string(),
  /** AWS region, e.g. `us-east-1`. */
  region: z.string(),
  /** 12-digit AWS account id (from config: no API call is needed to plan). */
  accountId: z.string(),
  /** Allowed AWS provider version constraint. */
  awsProviderVersion: z.string(),
  /**
   * Extra default tags on every resource (Project, Environment, ManagedBy are always set). Tags are
   * written to the committed cdk.tf.json and to every resource: secret-like keys or values
   * (passwords, tokens, credential URIs) are rejected (`src/config/secret-like.ts`).
   */
  tags: z.record(z.string(), z.string()).optional(),
  backend: backendSchema,
  network: networkSchema,
  database: databaseSchema,
  artifacts: artifactsSchema,
  registry: registrySchema,
  /** The WAF in front of the public entry point. @default {} (all defaults) */
  waf: wafSchema.optional(),
  /** SNS topic, alarms and dashboard. @default {} (all defaults, no e-mail subscription) */
  alarms: alarmsSchema.optional(),
});

/**
 * ECS Fargate behind an authenticating ALB (the advice's Option A). Keeps the name
 * `EnvironmentConfig` from the first release, so code that reads `service` or `edge.auth` is unchanged.
 */
export const ecsEnvironmentSchema = baseEnvironmentSchema.extend({
  /** @default 'ecs' */
  runtime: z.literal('ecs', { error: 'must be one of "ecs" (the default), "apprunner"' }).optional(),
  service: serviceSchema,
  edge: edgeSchema,
  /** @default { mode: 'none' } */
  apiAccess: apiAccessSchema.optional(),
});

/** App Runner (the advice's Option B). */
export const appRunnerEnvironmentSchema = baseEnvironmentSchema.extend({
  runtime: z.literal('apprunner'),
  appRunner: appRunnerSchema,
  edge: appRunnerEdgeSchema,
});

/** The schema an environment is checked against: chosen by `runtime` (absent means `ecs`). */
export function environmentSchemaFor(config: unknown): typeof ecsEnvironmentSchema | typeof appRunnerEnvironmentSchema {
  return (config as { runtime?: unknown } | null)?.runtime === 'apprunner' ? appRunnerEnvironmentSchema : ecsEnvironmentSchema;
}
