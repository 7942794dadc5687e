/**
 * The typed description of one MLflow environment. One object per environment (see
 * `src/config/environments/`), validated by `validateEnvironment` before anything is synthesized.
 *
 * This module has no cdktf imports: it is plain data, shared by the stacks, the migration planner,
 * the policy checks and the CLIs.
 */

/** Where Terraform keeps the stack's state. */
export type BackendConfig =
  | {
      readonly type: 'local';
      /** Relative path of the state file, from the stack's directory (`cdktf.out/stacks/<stack>`). */
      readonly path: string;
    }
  | {
      readonly type: 's3';
      readonly bucket: string;
      readonly key: string;
      readonly region: string;
      /**
       * S3-native state locking (Terraform >= 1.10).
       * @default true
       */
      readonly useLockfile?: boolean;
      /** Optional legacy DynamoDB lock table (kept for teams that still use one). */
      readonly dynamodbTable?: string;
    }
  | {
      readonly type: 'cloud';
      /** Terraform Cloud / HCP Terraform organization. */
      readonly organization: string;
      /** Workspace name (one workspace per stack). */
      readonly workspace: string;
      /** @default 'app.terraform.io' */
      readonly hostname?: string;
    };

export interface NetworkConfig {
  /** VPC CIDR, e.g. `10.20.0.0/16`. */
  readonly vpcCidr: string;
  /** Availability zones, at least 2, in the environment's region (taken from config, never looked up). */
  readonly availabilityZones: readonly string[];
  /** One public subnet CIDR per availability zone, in the same order. */
  readonly publicSubnetCidrs: readonly string[];
  /** One private subnet CIDR per availability zone, in the same order. */
  readonly privateSubnetCidrs: readonly string[];
  /**
   * `single`: one NAT gateway in the first AZ (cheaper, the AZ is a single point of failure for egress).
   * `per-az`: one NAT gateway and private route table per AZ.
   */
  readonly natGateways: 'single' | 'per-az';
  /** VPC flow log retention in days (CloudWatch Logs). */
  readonly flowLogRetentionDays: number;
}

export interface DatabaseConfig {
  /**
   * `postgres`: RDS for PostgreSQL (single-AZ or Multi-AZ by {@link multiAz}).
   * `aurora-postgresql`: Aurora PostgreSQL Serverless v2 (see {@link aurora}).
   */
  readonly engine: 'postgres' | 'aurora-postgresql';
  /** DB instance identifier (or Aurora cluster identifier). Changing it replaces the database. */
  readonly identifier: string;
  /** PostgreSQL engine version, e.g. `15.7`. */
  readonly engineVersion: string;
  /** Database name MLflow uses. */
  readonly name: string;
  /** Master user name. */
  readonly username: string;
  /** Instance class, e.g. `db.t3.micro`, `db.r6g.large` (RDS) — ignored for Aurora Serverless v2 (`db.serverless`). */
  readonly instanceClass: string;
  /** Allocated storage in GiB (RDS only). */
  readonly allocatedStorageGiB: number;
  /** Storage autoscaling ceiling in GiB (RDS only). */
  readonly maxAllocatedStorageGiB: number;
  /** RDS Multi-AZ standby. Aurora spreads instances instead (see {@link aurora}). */
  readonly multiAz: boolean;
  /** Automated backup retention, 1..35 days. */
  readonly backupRetentionDays: number;
  /** Deletion protection. Required in production. */
  readonly deletionProtection: boolean;
  /** Take a final snapshot on destroy. Required in production. */
  readonly finalSnapshot: boolean;
  /**
   * `random`: a `random_password` stored with the connection details in a Secrets Manager secret the
   * stack owns (the legacy layout). `rds-managed`: RDS generates and rotates the master password in
   * its own secret (`manage_master_user_password`).
   */
  readonly passwordMode: 'random' | 'rds-managed';
  /**
   * Special characters the random password may contain. The entrypoint URL-encodes the password, so
   * any set is safe inside the connection URI; the default keeps to RFC 3986 unreserved characters.
   * Changing it on an existing password generates a new password.
   * @default '-_.~'
   */
  readonly passwordSpecialCharacters?: string;
  /** Name of the Secrets Manager secret with the connection details (`random` mode). */
  readonly secretName: string;
  /** DB subnet group name. */
  readonly subnetGroupName: string;
  /** Aurora Serverless v2 capacity, required when engine is `aurora-postgresql`. */
  readonly aurora?: {
    readonly minCapacityAcu: number;
    readonly maxCapacityAcu: number;
    /** Number of instances (writer + readers). Two or more spreads them across AZs. */
    readonly instances: number;
  };
  /**
   * Storage encryption key. `aws-managed` (the `aws/rds` key) is what a database created without a
   * key uses; changing the key of an existing instance replaces it, so legacy databases keep it.
   * `customer-managed`: the stack's KMS key.
   */
  readonly storageKms: 'aws-managed' | 'customer-managed';
  /** Performance Insights retention in days (7 or a multiple of 31 up to 731). */
  readonly performanceInsightsRetentionDays: number;
}

export interface ArtifactsConfig {
  /** The one artifacts bucket, e.g. `fraud-scoring-models-123456789012`. */
  readonly bucketName: string;
  /** Key prefix MLflow writes under, without leading slash, ending in `/`, e.g. `mlflow-artifacts/`. */
  readonly prefix: string;
  /** Days before objects move to STANDARD_IA (>= 30, an S3 rule). */
  readonly transitionToIaDays: number;
  /** Days before objects move to GLACIER (> transitionToIaDays). */
  readonly transitionToGlacierDays: number;
  /** Days after which noncurrent versions are deleted. */
  readonly noncurrentVersionExpirationDays: number;
  /** Name of the bucket that receives ALB (and S3 server) access logs. */
  readonly accessLogsBucketName: string;
  /** Access log retention in days. */
  readonly accessLogRetentionDays: number;
  /**
   * `terraform destroy` empties both buckets (every object version) before deleting them. Without
   * it a destroy stops at the first bucket holding an object, and the access-log bucket always
   * does (S3 delivers server access logs of terraform's own reads). For disposable environments
   * only; refused in production.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * `direct`: clients write artifacts straight to S3 (they need IAM on the prefix; the stack emits a
   * managed policy for them). `proxied`: the server proxies artifact traffic (`--artifacts-destination`).
   * @default 'proxied'
   */
  readonly mode?: 'direct' | 'proxied';
}

export interface RegistryConfig {
  /** ECR repository name. */
  readonly repositoryName: string;
  /** Number of tagged images to keep; older ones expire. */
  readonly keepImages: number;
  /** Days after which untagged images expire. */
  readonly untaggedExpiryDays: number;
  /**
   * The image the service runs: a digest (`sha256:<64 hex>`, preferred) or an immutable tag from
   * `docker/build-push`. Overridable at synth with `MLFLOW_IMAGE_DIGEST_<ENV>` / `MLFLOW_IMAGE_TAG_<ENV>`
   * (environment name upper-cased, `-` as `_`).
   */
  readonly image: { readonly digest: string } | { readonly tag: string };
}

export interface ServiceConfig {
  /** Fargate CPU units (256, 512, 1024, 2048, 4096). */
  readonly cpu: number;
  /** Fargate memory in MiB; must be a valid combination with {@link cpu}. */
  readonly memoryMiB: number;
  /** CPU architecture of the image (`docker/build-push --platform` must match). */
  readonly cpuArchitecture: 'X86_64' | 'ARM64';
  /** Desired task count; >= 2 in production. */
  readonly desiredCount: number;
  /** ECS cluster name. */
  readonly clusterName: string;
  /** ECS service name. */
  readonly serviceName: string;
  /** Task definition family. */
  readonly taskFamily: string;
  /** Container log group name. */
  readonly logGroupName: string;
  /** Log retention in days; one of CloudWatch's allowed values, >= 365 in production. */
  readonly logRetentionDays: number;
  /** Task execution role name. */
  readonly executionRoleName: string;
  /** Task role name. */
  readonly taskRoleName: string;
  /** gunicorn workers per task. */
  readonly gunicornWorkers: number;
  /**
   * gunicorn worker timeout in seconds. Must be below the ALB idle timeout so that the ALB never
   * cuts a request gunicorn is still serving (502s on slow artifact requests otherwise).
   */
  readonly gunicornTimeoutSeconds: number;
  /** Health check grace period for new tasks, seconds. */
  readonly healthCheckGracePeriodSeconds: number;
  /** Task ephemeral storage in GiB (21..200), sized for proxied artifact uploads. */
  readonly ephemeralStorageGiB: number;
  /**
   * Application Auto Scaling of the service. When set, {@link desiredCount} is only the initial
   * count (it must lie within [minCount, maxCount]) and Terraform ignores later changes of the
   * running count. Absent: a fixed {@link desiredCount}.
   */
  readonly autoscaling?: AutoscalingConfig;
}

/** Target tracking for the ECS service (see `src/constructs/autoscaling.ts`). */
export interface AutoscalingConfig {
  /** Minimum task count (>= 2 in production). */
  readonly minCount: number;
  /** Maximum task count (>= minCount, <= 100). */
  readonly maxCount: number;
  /** Average CPU utilization to track, percent (10..90). @default 60 */
  readonly cpuTargetPercent?: number;
  /** Average memory utilization to track, percent (10..90). @default 70 */
  readonly memoryTargetPercent?: number;
  /** ALB requests per target to track (ALBRequestCountPerTarget); absent: no request tracking. */
  readonly requestsPerTarget?: number;
  /** Seconds after a scale-in before another (60..3600). @default 300 */
  readonly scaleInCooldownSeconds?: number;
  /** Seconds after a scale-out before another (0..3600). @default 60 */
  readonly scaleOutCooldownSeconds?: number;
}

/** Authentication in front of the UI (ALB `authenticate-*` action before forward). */
export type AuthConfig =
  | {
      readonly type: 'cognito';
      /** Cognito hosted UI domain prefix (`<prefix>.auth.<region>.amazoncognito.com`). */
      readonly domainPrefix: string;
      /** User pool name. */
      readonly userPoolName: string;
      /** Session timeout in seconds. */
      readonly sessionTimeoutSeconds: number;
    }
  | {
      readonly type: 'oidc';
      readonly issuer: string;
      readonly authorizationEndpoint: string;
      readonly tokenEndpoint: string;
      readonly userInfoEndpoint: string;
      readonly clientId: string;
      /** The client secret comes from the sensitive Terraform variable `oidc_client_secret`, never from code. */
      readonly sessionTimeoutSeconds: number;
      /** @default 'openid email' */
      readonly scope?: string;
    };

export interface EdgeConfig {
  /** Apex domain, e.g. `example.com`. */
  readonly domainName: string;
  /** Hostname served, e.g. `mlflow.example.com` (must be within {@link domainName}). */
  readonly hostname: string;
  /** Route53 public hosted zone id for {@link domainName} (from config, never looked up). */
  readonly hostedZoneId: string;
  /** `create`: an ACM certificate validated through Route53. `existing`: an ACM certificate ARN. */
  readonly certificate: { readonly mode: 'create' } | { readonly mode: 'existing'; readonly arn: string };
  readonly auth: AuthConfig;
  /** ALB name. */
  readonly loadBalancerName: string;
  /** Target group name (<= 32 characters). */
  readonly targetGroupName: string;
  /** ALB idle timeout in seconds; must exceed the gunicorn timeout. */
  readonly idleTimeoutSeconds: number;
  /** Target group deregistration delay in seconds. */
  readonly deregistrationDelaySeconds: number;
  /** ALB deletion protection. Required in production. */
  readonly deletionProtection: boolean;
  /** Security group names and descriptions (descriptions force replacement when changed). */
  readonly securityGroups: {
    readonly alb: { readonly name: string; readonly description: string };
    readonly tasks: { readonly name: string; readonly description: string };
    readonly database: { readonly name: string; readonly description: string };
  };
}

/** WAFv2 web ACL in front of the public entry point (ALB or App Runner service). */
export interface WafConfig {
  /** Requests one client IP may send per 5 minutes before it is blocked (10..2,000,000,000). @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /**
   * IPv4 CIDRs allowed to reach the site at all. When non-empty, every request from another
   * address is blocked (an `aws_wafv2_ip_set` and a block rule). @default [] (no allow-list)
   */
  readonly allowListCidrs?: readonly string[];
  /** Retention of the WAF log group (`aws-waf-logs-<prefix>`), a CloudWatch value; >= 365 in production. @default 365 */
  readonly logRetentionDays?: number;
}

/** Authenticated access for programmatic MLflow clients (the ALB's OIDC/Cognito only works for browsers). */
export interface ApiAccessConfig {
  /**
   * `none`: browsers only (through the authenticating ALB).
   * `apigateway-iam`: an API Gateway HTTP API with IAM (SigV4) authorization on `/api/*` and
   * `/ajax-api/*`, reaching an internal ALB through a VPC link (`MLFLOW_TRACKING_AWS_SIGV4=true`).
   * `internal-alb`: an internal ALB reachable only from {@link allowedSecurityGroupIds} and
   * {@link allowedCidrs} (ECS jobs, SageMaker, VPN) on HTTPS.
   * @default 'none'
   */
  readonly mode: 'none' | 'internal-alb' | 'apigateway-iam';
  /**
   * Client hostname, e.g. `mlflow-api.example.com` (inside edge.domainName): the API Gateway custom
   * domain (`apigateway-iam`) or the internal ALB's DNS name (`internal-alb`, required there), with
   * its own ACM certificate. Absent with `apigateway-iam`: clients use the execute-api endpoint.
   */
  readonly hostname?: string;
  /** `internal-alb`: security groups (in the VPC) allowed to connect on 443. @default [] */
  readonly allowedSecurityGroupIds?: readonly string[];
  /** `internal-alb`: CIDRs allowed to connect on 443 (VPN, peered VPCs); never 0.0.0.0/0. @default [] */
  readonly allowedCidrs?: readonly string[];
  /** Internal ALB name (<= 32 characters). @default '<namePrefix>-api' */
  readonly loadBalancerName?: string;
  /** Internal target group name (<= 32 characters). @default '<namePrefix>-api-tg' */
  readonly targetGroupName?: string;
  /** Retention of the API Gateway access log group. @default 365 */
  readonly logRetentionDays?: number;
  /** API Gateway stage throttling: steady-state requests per second and burst. @default { rate: 200, burst: 400 } */
  readonly throttle?: { readonly ratePerSecond: number; readonly burst: number };
}

/** Alarm thresholds (see docs/operations.md for the table of defaults and ranges). */
export interface AlarmThresholds {
  /** ALB-generated 5xx responses per 5 minutes. @default 10 */
  readonly elb5xxPer5Minutes: number;
  /** Target (MLflow) 5xx responses per 5 minutes. @default 10 */
  readonly target5xxPer5Minutes: number;
  /** Unhealthy targets (minimum over 1 minute, 2 of 3 minutes). @default 1 */
  readonly unhealthyHosts: number;
  /** p95 target response time, seconds (ALB) / p95 request latency (App Runner, converted to ms). @default 3 */
  readonly responseTimeP95Seconds: number;
  /** Database CPU, percent. @default 80 */
  readonly dbCpuPercent: number;
  /** Database free storage, GiB (RDS FreeStorageSpace / Aurora FreeLocalStorage). @default 5 */
  readonly dbFreeStorageGiB: number;
  /** Database connections. @default 100 */
  readonly dbConnections: number;
  /** Database freeable memory, MiB. @default 256 */
  readonly dbFreeableMemoryMiB: number;
  /** ECS service CPU, percent. @default 85 */
  readonly ecsCpuPercent: number;
  /** ECS service memory, percent. @default 85 */
  readonly ecsMemoryPercent: number;
}

/** Alarms: one SNS topic (KMS-encrypted) that every alarm notifies, and a dashboard. */
export interface AlarmsConfig {
  /** E-mail addresses subscribed to the topic (each must confirm). @default [] */
  readonly emails?: readonly string[];
  /** Overrides of the default thresholds. */
  readonly thresholds?: Partial<AlarmThresholds>;
}

/** What the ECS runtime's edge needs (the authenticating ALB). Unchanged from the first release. */
export type EcsEdgeConfig = EdgeConfig;

/**
 * The App Runner variant's edge: App Runner terminates TLS itself and has no OIDC/Cognito step, so
 * there is no `auth`, ALB or ALB security group; the certificate comes from the custom domain
 * association (validation records in Route53).
 */
export interface AppRunnerEdgeConfig {
  readonly domainName: string;
  /** Custom domain of the service, e.g. `mlflow.example.com`. */
  readonly hostname: string;
  readonly hostedZoneId: string;
  /**
   * Number of certificate validation records App Runner returns for {@link hostname} (2 for one
   * name without `www`). Terraform needs the count at plan time: the record names are only known
   * after the association exists. @default 2
   */
  readonly certificateValidationRecords?: number;
  readonly securityGroups: {
    /** The VPC connector's group (egress to PostgreSQL and HTTPS). */
    readonly connector: { readonly name: string; readonly description: string };
    readonly database: { readonly name: string; readonly description: string };
  };
}

/** App Runner service settings (the advice's Option B). */
export interface AppRunnerConfig {
  readonly serviceName: string;
  /** CPU units: 256, 512, 1024, 2048 or 4096. */
  readonly cpu: number;
  /** Memory in MiB; must be an App Runner combination with {@link cpu}. */
  readonly memoryMiB: number;
  /** Instances kept warm (1..25). */
  readonly minSize: number;
  /** Instance ceiling (minSize..25). */
  readonly maxSize: number;
  /** Concurrent requests per instance before scaling out (1..200). */
  readonly maxConcurrency: number;
  /** Auto scaling configuration name (4-32 characters). */
  readonly autoScalingConfigurationName: string;
  /** VPC connector name (4-40 characters). */
  readonly vpcConnectorName: string;
  readonly accessRoleName: string;
  readonly instanceRoleName: string;
  readonly gunicornWorkers: number;
  /** gunicorn timeout; below App Runner's fixed 120 s request timeout. */
  readonly gunicornTimeoutSeconds: number;
  /**
   * App Runner has no OIDC at the edge, so protection is an explicit choice, never none:
   * `waf-allow-list`: only waf.allowListCidrs reach the service (required non-empty);
   * `basic-auth`: MLflow's own basic-auth app (MLFLOW_AUTH=basic-auth) with a generated admin
   * password in Secrets Manager.
   */
  readonly protection: 'waf-allow-list' | 'basic-auth';
  /** Secrets Manager secret holding the basic-auth admin password. @default '<namePrefix>/mlflow/admin-password' */
  readonly adminPasswordSecretName?: string;
}

/** Settings every runtime shares. */
export interface BaseEnvironmentConfig {
  /** Environment name: `staging`, `production`, ... (lower-case letters, digits, `-`). */
  readonly name: string;
  /** The cdktf stack name, a contract with scripts and Terraform Cloud: `mlflow-<name>`. */
  readonly stackName: string;
  /** Whether production-only requirements apply (desired count >= 2, deletion protection, ...). */
  readonly production: boolean;
  /** Project name used in names and tags, e.g. `fraud-scoring`. */
  readonly project: string;
  /**
   * Prefix of derived resource names and Name tags (`<prefix>-vpc`, `<prefix>-ecs-task-s3`, ...).
   * Production keeps the legacy `fraud-scoring` so migrated resources keep their names.
   */
  readonly namePrefix: string;
  /** AWS region, e.g. `us-east-1`. */
  readonly region: string;
  /** 12-digit AWS account id (from config: no API call is needed to plan). */
  readonly accountId: string;
  /** Allowed AWS provider version constraint. */
  readonly awsProviderVersion: string;
  /** Extra default tags on every resource (Project, Environment, ManagedBy are always set). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly backend: BackendConfig;
  readonly network: NetworkConfig;
  readonly database: DatabaseConfig;
  readonly artifacts: ArtifactsConfig;
  readonly registry: RegistryConfig;
  /** The WAF in front of the public entry point. @default {} (all defaults) */
  readonly waf?: WafConfig;
  /** SNS topic, alarms and dashboard. @default {} (all defaults, no e-mail subscription) */
  readonly alarms?: AlarmsConfig;
}

/**
 * ECS Fargate behind an authenticating ALB (the advice's Option A). Keeps the name
 * `EnvironmentConfig` from the first release, so code that reads `service` or `edge.auth` is unchanged.
 */
export interface EnvironmentConfig extends BaseEnvironmentConfig {
  /** @default 'ecs' */
  readonly runtime?: 'ecs';
  readonly service: ServiceConfig;
  readonly edge: EcsEdgeConfig;
  /** @default { mode: 'none' } */
  readonly apiAccess?: ApiAccessConfig;
}

/** App Runner (the advice's Option B). */
export interface AppRunnerEnvironmentConfig extends BaseEnvironmentConfig {
  readonly runtime: 'apprunner';
  readonly appRunner: AppRunnerConfig;
  readonly edge: AppRunnerEdgeConfig;
}

export type EcsEnvironmentConfig = EnvironmentConfig;

/** Any environment: a discriminated union on `runtime` (absent means `ecs`). */
export type AnyEnvironmentConfig = EnvironmentConfig | AppRunnerEnvironmentConfig;

export function isAppRunner(config: AnyEnvironmentConfig): config is AppRunnerEnvironmentConfig {
  return config.runtime === 'apprunner';
}
