/**
 * Stack-level suppressions keyed by Terraform address, for resources defined in files whose
 * constructs cannot carry a `suppress(...)` call. Prefer `suppress(construct, ...)` next to the
 * resource (src/policy/suppress.ts); every entry here needs the same written reason.
 */
import { Suppression } from './suppress';

export interface AddressSuppression extends Suppression {
  /** Terraform address, e.g. `aws_wafv2_web_acl.waf_acl`. */
  readonly address: string;
  /** Stack names it applies to. @default every stack */
  readonly stacks?: readonly string[];
}

/** Stacks whose configuration turns deletion protection off (config validation forbids it in production). */
const NON_PRODUCTION_STACKS = ['mlflow-staging', 'mlflow-apprunner-staging'];

const HTTP_TARGET_GROUP =
  'TLS terminates at the ALB; the ALB-to-task hop on the container port stays in private subnets and is admitted only from the ALB security group.';
const NO_MONITORING_ROLE =
  'Enhanced Monitoring needs an rds-monitoring IAM role that the Aurora construct does not create yet; CloudWatch metrics, log exports and Performance Insights cover the cluster until it is added.';

export const ADDRESS_SUPPRESSIONS: readonly AddressSuppression[] = [
  // src/constructs/api-access.ts (internal API ALB behind the API Gateway VPC link or allowed clients)
  {
    address: 'aws_security_group.api_access_alb_sg',
    id: 'MLF-SG-8',
    reason: 'The internal API listener admits the client networks configured as allowed CIDRs (VPN, SageMaker, CI runners outside this VPC), which have no security group here to reference.',
  },
  { address: 'aws_lb_target_group.api_access_target_group', id: 'MLF-ALB-12', reason: HTTP_TARGET_GROUP },
  {
    address: 'aws_lb.api_access_alb',
    id: 'MLF-ALB-3',
    stacks: NON_PRODUCTION_STACKS,
    reason: 'Deletion protection follows edge.deletionProtection, which this environment sets to false; config validation requires it in production.',
  },
  // src/constructs/aurora.ts
  {
    address: 'aws_rds_cluster.database_cluster',
    id: 'MLF-RDS-4',
    stacks: NON_PRODUCTION_STACKS,
    reason: 'Deletion protection is off by configuration (database.deletionProtection = false), which config validation allows only outside production.',
  },
  { address: 'aws_rds_cluster_instance.database_instance_1', id: 'MLF-RDS-9', reason: NO_MONITORING_ROLE },
  { address: 'aws_rds_cluster_instance.database_instance_2', id: 'MLF-RDS-9', reason: NO_MONITORING_ROLE },
  // src/constructs/apprunner.ts
  {
    address: 'aws_security_group.security_connector',
    id: 'MLF-SG-10',
    reason: 'The App Runner VPC connector reaches S3 and Secrets Manager over 443 through NAT; VPC endpoints would remove this egress at an extra hourly cost per endpoint and AZ.',
  },
  {
    address: 'aws_secretsmanager_secret.apprunner_admin_secret',
    id: 'MLF-SM-2',
    reason: "MLflow reads the basic-auth admin password only to create its admin user on first start; rotating the secret would not change the password in MLflow's auth database, so it is changed through MLflow's user API.",
  },
];
