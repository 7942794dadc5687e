/**
 * One compliant and one non-compliant fixture per rule (Terraform JSON as in cdk.tf.json).
 * rules.test.ts asserts pass/fail for each and that every rule of the pack has a case.
 */
import { TerraformDocument } from '../../src/policy/model';
import { Json } from '../../src/policy/values';
import { merge, policy, ref, Resources } from './helpers';

export interface RuleCase {
  readonly id: string;
  /** Address of the resource the rule is evaluated on. */
  readonly target: string;
  readonly good: Resources;
  readonly bad: Resources;
  /**
   * For rules with several conditions: one more non-compliant case per condition `bad` does not
   * exercise (each must fail on its own), named by what it tries.
   */
  readonly badVariants?: readonly { readonly why: string; readonly resources: Resources }[];
  readonly production?: boolean;
  /** Provider blocks, for rules on `provider.aws`. */
  readonly goodProvider?: TerraformDocument['provider'];
  readonly badProvider?: TerraformDocument['provider'];
}

const one = (type: string, name: string, config: Json): Resources => ({ [type]: { [name]: config } });

// S3
const B = 'aws_s3_bucket.b';
const bucket = (extra: Json = {}): Resources => one('aws_s3_bucket', 'b', { bucket: 'artifacts-bucket', ...extra });
const onBucket = (type: string, config: Json, name = 'x'): Resources => one(type, name, { bucket: ref(B), ...config });
const sse = (rule: Json): Resources => onBucket('aws_s3_bucket_server_side_encryption_configuration', { rule: [{ apply_server_side_encryption_by_default: rule }] });
const tlsDeny = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const pab = (flag: boolean): Resources => onBucket('aws_s3_bucket_public_access_block', { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: flag });

// ALB
const LB = 'aws_lb.lb';
const lb = (extra: Json = {}): Resources => one('aws_lb', 'lb', { internal: false, load_balancer_type: 'application', ...extra });
const vis = { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: 'm' };
const managed = (name: string, extra: Json = {}, ruleExtra: Json = {}): Json => ({
  name,
  priority: 1,
  override_action: { none: {} },
  statement: { managed_rule_group_statement: { name, vendor_name: 'AWS', ...extra } },
  visibility_config: vis,
  ...ruleExtra,
});
const rateRule = (action: Json = { block: {} }): Json => ({ name: 'rate', priority: 9, action, statement: { rate_based_statement: { limit: 2000, aggregate_key_type: 'IP' } }, visibility_config: vis });
const acl = (rules: Json[]): Resources => one('aws_wafv2_web_acl', 'acl', { default_action: { allow: {} }, visibility_config: vis, rule: rules });
const assoc = one('aws_wafv2_web_acl_association', 'assoc', { resource_arn: ref(LB, 'arn'), web_acl_arn: ref('aws_wafv2_web_acl.acl', 'arn') });
const forward = { type: 'forward', order: 2, target_group_arn: ref('aws_lb_target_group.tg', 'arn') };
const cognitoAuth = (mode: string): Json => ({
  type: 'authenticate-cognito',
  order: 1,
  authenticate_cognito: { user_pool_arn: 'arn', user_pool_client_id: 'c', user_pool_domain: 'd', on_unauthenticated_request: mode, session_timeout: 28800 },
});
const oidcAuth = (secret: string): Json => ({
  type: 'authenticate-oidc',
  order: 1,
  authenticate_oidc: {
    issuer: 'https://idp',
    authorization_endpoint: 'https://idp/auth',
    token_endpoint: 'https://idp/token',
    user_info_endpoint: 'https://idp/userinfo',
    client_id: 'c',
    client_secret: secret,
    on_unauthenticated_request: 'authenticate',
    session_timeout: 28800,
  },
});
const listener = (name: string, config: Json): Resources => one('aws_lb_listener', name, { load_balancer_arn: ref(LB, 'arn'), ...config });
const tg = (extra: Json = {}): Resources => one('aws_lb_target_group', 'tg', { port: 5000, protocol: 'HTTP', health_check: { enabled: true, path: '/health' }, ...extra });

// ECS
const LOGS = 'aws_cloudwatch_log_group.logs';
const container = (extra: Json = {}): Json => ({
  name: 'mlflow',
  image: 'repo@sha256:0',
  essential: true,
  user: '1000:1000',
  readonlyRootFilesystem: true,
  privileged: false,
  portMappings: [{ containerPort: 5000 }],
  environment: [{ name: 'MLFLOW_DB_HOST', value: 'db' }],
  secrets: [{ name: 'MLFLOW_DB_PASSWORD', valueFrom: 'arn:secret' }],
  healthCheck: { command: ['CMD', 'true'] },
  linuxParameters: { capabilities: { drop: ['ALL'] } },
  logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': ref(LOGS, 'name') } },
  ...extra,
});
const task = (c: Json = {}, extra: Json = {}, logKms: unknown = 'arn:key'): Resources =>
  merge(
    one('aws_ecs_task_definition', 'task', {
      network_mode: 'awsvpc',
      execution_role_arn: ref('aws_iam_role.exec', 'arn'),
      task_role_arn: ref('aws_iam_role.task', 'arn'),
      container_definitions: JSON.stringify([container(c)]),
      ...extra,
    }),
    one('aws_cloudwatch_log_group', 'logs', { name: '/ecs/mlflow', kms_key_id: logKms, retention_in_days: 365 }),
  );
const service = (extra: Json = {}): Resources =>
  one('aws_ecs_service', 'svc', {
    launch_type: 'FARGATE',
    desired_count: 2,
    deployment_minimum_healthy_percent: 100,
    deployment_maximum_percent: 200,
    network_configuration: { assign_public_ip: false, subnets: [] },
    ...extra,
  });

// MLF-ALB-16: what sits behind an internal listener that forwards without authenticating.
const internalListener = (extra: Json = {}): Resources => merge(lb({ internal: true, security_groups: [ref('aws_security_group.api')] }), tg(), listener('api', { protocol: 'HTTPS', default_action: [{ ...forward, order: 1 }], ...extra }));
const tasksBehind = (auth: string): Resources =>
  merge(
    task({ environment: [{ name: 'MLFLOW_AUTH', value: auth }] }),
    service({ task_definition: ref('aws_ecs_task_definition.task', 'arn'), load_balancer: [{ target_group_arn: ref('aws_lb_target_group.tg', 'arn'), container_name: 'mlflow', container_port: 5000 }] }),
  );
const apiGatewayFront = (albIngress: Json[], authorization: string): Resources =>
  merge(
    one('aws_security_group', 'link', { ingress: [], egress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/16'] }] }),
    one('aws_security_group', 'api', { ingress: albIngress }),
    one('aws_apigatewayv2_vpc_link', 'link', { security_group_ids: [ref('aws_security_group.link')] }),
    one('aws_apigatewayv2_integration', 'i', { integration_uri: ref('aws_lb_listener.api', 'arn'), connection_type: 'VPC_LINK' }),
    one('aws_apigatewayv2_route', 'r', { route_key: 'ANY /api/{proxy+}', authorization_type: authorization, target: 'integrations/${aws_apigatewayv2_integration.i.id}' }),
  );
const fromLink = { from_port: 443, to_port: 443, protocol: 'tcp', security_groups: [ref('aws_security_group.link')] };
const fromCidr = { from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.100.0.0/16'] };

// ECR
const R = 'aws_ecr_repository.repo';
const repo = (extra: Json = {}): Resources =>
  one('aws_ecr_repository', 'repo', {
    name: 'mlflow',
    image_tag_mutability: 'IMMUTABLE',
    image_scanning_configuration: { scan_on_push: true },
    encryption_configuration: [{ encryption_type: 'KMS', kms_key: 'arn:key' }],
    ...extra,
  });

// RDS
const DB = 'aws_db_instance.db';
const PG = 'aws_db_parameter_group.pg';
const instance = (extra: Json = {}, params: Json[] = [{ name: 'rds.force_ssl', value: '1' }, { name: 'log_min_duration_statement', value: '1000' }]): Resources =>
  merge(
    one('aws_db_instance', 'db', {
      engine: 'postgres',
      engine_version: '15.7',
      storage_encrypted: true,
      publicly_accessible: false,
      iam_database_authentication_enabled: true,
      deletion_protection: true,
      backup_retention_period: 14,
      enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
      auto_minor_version_upgrade: true,
      multi_az: true,
      monitoring_interval: 60,
      monitoring_role_arn: 'arn:role',
      performance_insights_enabled: true,
      performance_insights_kms_key_id: 'arn:key',
      copy_tags_to_snapshot: true,
      ca_cert_identifier: 'rds-ca-rsa2048-g1',
      parameter_group_name: ref(PG, 'name'),
      ...extra,
    }),
    one('aws_db_parameter_group', 'pg', { family: 'postgres15', parameter: params }),
  );
const CL = 'aws_rds_cluster.cluster';
const cluster = (extra: Json = {}, params: Json[] = [{ name: 'rds.force_ssl', value: '1' }, { name: 'log_statement', value: 'ddl' }, { name: 'log_min_duration_statement', value: '1000' }], instances = 2): Resources =>
  merge(
    one('aws_rds_cluster', 'cluster', {
      engine: 'aurora-postgresql',
      engine_version: '15.4',
      storage_encrypted: true,
      kms_key_id: 'arn:key',
      iam_database_authentication_enabled: true,
      deletion_protection: true,
      backup_retention_period: 14,
      enabled_cloudwatch_logs_exports: ['postgresql'],
      copy_tags_to_snapshot: true,
      db_cluster_parameter_group_name: ref('aws_rds_cluster_parameter_group.cpg', 'name'),
      manage_master_user_password: true,
      master_user_secret_kms_key_id: 'arn:key',
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 4 },
      ...extra,
    }),
    one('aws_rds_cluster_parameter_group', 'cpg', { family: 'aurora-postgresql15', parameter: params }),
    ...Array.from({ length: instances }, (_, i) => one('aws_rds_cluster_instance', `i${i}`, { cluster_identifier: ref(CL), instance_class: 'db.serverless', engine: 'aurora-postgresql' })),
  );

// KMS / SNS / IAM
const keyPolicy = (...extra: Json[]): string =>
  policy({ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ['kms:Create*', 'kms:Describe*'], Resource: '*' }, ...extra);
const key = (extra: Json = {}): Resources => one('aws_kms_key', 'key', { enable_key_rotation: true, deletion_window_in_days: 30, policy: keyPolicy(), ...extra });
const cloudwatchGrant = { Sid: 'Alarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' };
const trust = (principal: Json): Resources => one('aws_iam_role', 'role', { assume_role_policy: policy({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }) });
const rolePolicy = (...statements: Json[]): Resources => one('aws_iam_role_policy', 'p', { role: ref('aws_iam_role.role'), policy: policy(...statements) });

// Network
const V = 'aws_vpc.vpc';
const vpc = one('aws_vpc', 'vpc', { cidr_block: '10.0.0.0/16' });
const sg = (config: Json, name = 'sg'): Resources => one('aws_security_group', name, { description: 'Group', vpc_id: ref(V), ingress: [], egress: [], ...config });
const ingress = (port: number, from: Json): Json => ({ description: 'in', protocol: 'tcp', from_port: port, to_port: port, cidr_blocks: [], security_groups: [], ...from });
const albWithSg = one('aws_lb', 'lb', { internal: false, load_balancer_type: 'application', security_groups: [ref('aws_security_group.sg')] });

// App Runner
const apprunner = (extra: Json = {}): Resources =>
  merge(
    one('aws_apprunner_service', 'svc', {
      encryption_configuration: { kms_key: 'arn:key' },
      network_configuration: { egress_configuration: { egress_type: 'VPC', vpc_connector_arn: 'arn:conn' }, ingress_configuration: { is_publicly_accessible: true } },
      health_check_configuration: { protocol: 'HTTP', path: '/health' },
      instance_configuration: { instance_role_arn: 'arn:role' },
      ...extra,
    }),
    one('aws_wafv2_web_acl_association', 'waf', { resource_arn: ref('aws_apprunner_service.svc', 'arn'), web_acl_arn: 'arn:acl' }),
  );

const pool = (extra: Json = {}): Resources =>
  one('aws_cognito_user_pool', 'pool', {
    deletion_protection: 'ACTIVE',
    mfa_configuration: 'OPTIONAL',
    software_token_mfa_configuration: { enabled: true },
    admin_create_user_config: { allow_admin_create_user_only: true },
    password_policy: { minimum_length: 14, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true },
    user_pool_add_ons: { advanced_security_mode: 'ENFORCED' },
    ...extra,
  });
const client = (extra: Json = {}): Resources =>
  one('aws_cognito_user_pool_client', 'client', {
    generate_secret: true,
    allowed_oauth_flows: ['code'],
    callback_urls: ['https://mlflow.example.com/oauth2/idpresponse'],
    prevent_user_existence_errors: 'ENABLED',
    ...extra,
  });

export const RULE_CASES: readonly RuleCase[] = [
  // S3
  { id: 'MLF-S3-1', target: B, good: merge(bucket(), sse({ sse_algorithm: 'AES256' })), bad: bucket() },
  { id: 'MLF-S3-2', target: B, good: merge(bucket(), sse({ sse_algorithm: 'aws:kms', kms_master_key_id: ref('aws_kms_key.key', 'arn') })), bad: merge(bucket(), sse({ sse_algorithm: 'AES256' })) },
  { id: 'MLF-S3-3', target: B, good: merge(bucket(), onBucket('aws_s3_bucket_versioning', { versioning_configuration: { status: 'Enabled' } })), bad: merge(bucket(), onBucket('aws_s3_bucket_versioning', { versioning_configuration: { status: 'Suspended' } })) },
  { id: 'MLF-S3-4', target: B, good: merge(bucket(), pab(true)), bad: merge(bucket(), pab(false)) },
  { id: 'MLF-S3-5', target: B, good: merge(bucket(), onBucket('aws_s3_bucket_policy', { policy: policy(tlsDeny) })), bad: merge(bucket(), onBucket('aws_s3_bucket_policy', { policy: policy({ ...tlsDeny, Condition: {} }) })) },
  { id: 'MLF-S3-6', target: B, good: merge(bucket(), onBucket('aws_s3_bucket_logging', { target_bucket: 'logs', target_prefix: 's3/' })), bad: bucket() },
  { id: 'MLF-S3-7', target: B, good: merge(bucket(), onBucket('aws_s3_bucket_ownership_controls', { rule: { object_ownership: 'BucketOwnerEnforced' } })), bad: merge(bucket(), onBucket('aws_s3_bucket_ownership_controls', { rule: { object_ownership: 'ObjectWriter' } })) },
  {
    id: 'MLF-S3-8',
    target: 'aws_s3_bucket_policy.x',
    good: onBucket('aws_s3_bucket_policy', { policy: policy(tlsDeny, { Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn' }) }),
    bad: onBucket('aws_s3_bucket_policy', { policy: policy({ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn' }) }),
  },
  { id: 'MLF-S3-9', target: B, good: bucket(), bad: bucket({ acl: 'public-read' }) },
  {
    id: 'MLF-S3-10',
    target: B,
    good: merge(bucket(), onBucket('aws_s3_bucket_lifecycle_configuration', { rule: [{ id: 'a', status: 'Enabled', filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }] })),
    bad: merge(bucket(), onBucket('aws_s3_bucket_lifecycle_configuration', { rule: [{ id: 'a', status: 'Enabled', filter: [{ prefix: 'mlflow/' }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }] })),
  },
  { id: 'MLF-S3-11', target: B, good: merge(bucket(), onBucket('aws_s3_bucket_replication_configuration', { rule: [{ id: 'crr', status: 'Enabled' }] })), bad: bucket() },
  {
    id: 'MLF-S3-12',
    target: B,
    good: merge(bucket(), onBucket('aws_s3_bucket_versioning', { versioning_configuration: { status: 'Enabled' } })),
    bad: merge(bucket(), onBucket('aws_s3_bucket_versioning', { versioning_configuration: { status: 'Enabled', mfa_delete: 'Disabled' } })),
  },
  { id: 'MLF-S3-13', target: B, good: bucket(), bad: bucket({ bucket: 'my.bucket' }) },
  { id: 'MLF-S3-14', target: B, good: bucket(), bad: merge(bucket(), onBucket('aws_s3_bucket_website_configuration', { index_document: { suffix: 'index.html' } })) },
  {
    id: 'MLF-S3-15',
    target: 'aws_s3_bucket_cors_configuration.x',
    good: onBucket('aws_s3_bucket_cors_configuration', { cors_rule: [{ allowed_methods: ['GET'], allowed_origins: ['https://mlflow.example.com'] }] }),
    bad: onBucket('aws_s3_bucket_cors_configuration', { cors_rule: [{ allowed_methods: ['GET'], allowed_origins: ['*'] }] }),
  },
  // ALB
  { id: 'MLF-ALB-1', target: LB, good: lb({ access_logs: { bucket: 'logs', enabled: true } }), bad: lb({ access_logs: { bucket: 'logs' } }) },
  { id: 'MLF-ALB-2', target: LB, good: lb({ drop_invalid_header_fields: true }), bad: lb() },
  { id: 'MLF-ALB-3', target: LB, good: lb({ enable_deletion_protection: true }), bad: lb({ enable_deletion_protection: false }) },
  { id: 'MLF-ALB-4', target: LB, good: lb({ desync_mitigation_mode: 'defensive' }), bad: lb({ desync_mitigation_mode: 'monitor' }) },
  { id: 'MLF-ALB-5', target: LB, good: lb({ internal: true }), bad: lb() },
  { id: 'MLF-ALB-6', target: LB, good: merge(lb(), acl([managed('AWSManagedRulesKnownBadInputsRuleSet')]), assoc), bad: merge(lb(), acl([])) },
  {
    id: 'MLF-ALB-7',
    target: LB,
    good: merge(lb(), acl([managed('AWSManagedRulesKnownBadInputsRuleSet'), managed('AWSManagedRulesAnonymousIpList')]), assoc),
    bad: merge(lb(), acl([managed('AWSManagedRulesKnownBadInputsRuleSet')]), assoc),
  },
  {
    id: 'MLF-ALB-8',
    target: 'aws_lb_listener.http',
    good: listener('http', { port: 80, protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }] }),
    bad: listener('http', { port: 80, protocol: 'HTTP', default_action: [forward] }),
  },
  {
    id: 'MLF-ALB-9',
    target: 'aws_lb_listener.https',
    good: listener('https', { port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }),
    bad: listener('https', { port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06' }),
  },
  { id: 'MLF-ALB-10', target: 'aws_lb_target_group.tg', good: tg(), bad: tg({ health_check: { enabled: true } }) },
  {
    id: 'MLF-ALB-11',
    target: 'aws_lb_target_group.tg',
    good: merge(tg(), listener('https', { protocol: 'HTTPS', default_action: [forward] })),
    bad: merge(tg(), listener('http', { protocol: 'HTTP', default_action: [forward] })),
  },
  { id: 'MLF-ALB-12', target: 'aws_lb_target_group.tg', good: tg({ protocol: 'HTTPS' }), bad: tg() },
  {
    id: 'MLF-ALB-13',
    target: 'aws_lb_listener.https',
    good: merge(lb(), listener('https', { protocol: 'HTTPS', default_action: [cognitoAuth('authenticate'), forward] })),
    bad: merge(lb(), listener('https', { protocol: 'HTTPS', default_action: [cognitoAuth('allow'), forward] })),
  },
  {
    id: 'MLF-ALB-14',
    target: 'aws_lb_listener.https',
    good: listener('https', { protocol: 'HTTPS', default_action: [oidcAuth('${var.oidc_client_secret}'), forward] }),
    bad: listener('https', { protocol: 'HTTPS', default_action: [oidcAuth('hunter2-client-secret'), forward] }),
  },
  {
    id: 'MLF-ALB-15',
    target: 'aws_lb_listener_rule.api',
    good: merge(lb(), listener('https', { protocol: 'HTTPS' }), one('aws_lb_listener_rule', 'api', { listener_arn: ref('aws_lb_listener.https', 'arn'), action: [cognitoAuth('authenticate'), forward] })),
    bad: merge(lb(), listener('https', { protocol: 'HTTPS' }), one('aws_lb_listener_rule', 'api', { listener_arn: ref('aws_lb_listener.https', 'arn'), action: [{ ...forward, order: 1 }] })),
  },
  // MLF-ALB-16, one case per way an entrance may be authenticated
  {
    id: 'MLF-ALB-16',
    target: 'aws_lb_listener.api',
    good: merge(internalListener({ default_action: [cognitoAuth('authenticate'), forward] }), tasksBehind('none')),
    bad: merge(internalListener(), tasksBehind('none')),
  },
  { id: 'MLF-ALB-16', target: 'aws_lb_listener.api', good: merge(internalListener(), tasksBehind('basic-auth')), bad: merge(internalListener(), tasksBehind('')) },
  { id: 'MLF-ALB-16', target: 'aws_lb_listener.api', good: merge(internalListener(), tasksBehind('none'), apiGatewayFront([fromLink], 'AWS_IAM')), bad: merge(internalListener(), tasksBehind('none'), apiGatewayFront([fromLink, fromCidr], 'AWS_IAM')) },
  { id: 'MLF-ALB-16', target: 'aws_lb_listener.api', good: merge(internalListener(), tasksBehind('none'), apiGatewayFront([fromLink], 'AWS_IAM')), bad: merge(internalListener(), tasksBehind('none'), apiGatewayFront([fromLink], 'NONE')) },
  { id: 'MLF-ALB-16', target: 'aws_lb_listener.api', good: merge(internalListener(), tasksBehind('basic-auth')), bad: internalListener() },
  {
    id: 'MLF-ALB-16',
    target: 'aws_lb_listener_rule.api',
    good: merge(internalListener({ default_action: [{ type: 'fixed-response', fixed_response: { status_code: '404', content_type: 'text/plain' } }] }), tasksBehind('basic-auth'), one('aws_lb_listener_rule', 'api', { listener_arn: ref('aws_lb_listener.api', 'arn'), action: [{ ...forward, order: 1 }] })),
    bad: merge(internalListener({ default_action: [{ type: 'fixed-response', fixed_response: { status_code: '404', content_type: 'text/plain' } }] }), tasksBehind('none'), one('aws_lb_listener_rule', 'api', { listener_arn: ref('aws_lb_listener.api', 'arn'), action: [{ ...forward, order: 1 }] })),
  },
  // WAF
  { id: 'MLF-WAF-1', target: 'aws_wafv2_web_acl.acl', good: acl([managed('AWSManagedRulesKnownBadInputsRuleSet')]), bad: acl([managed('AWSManagedRulesKnownBadInputsRuleSet', {}, { override_action: { count: {} } })]) },
  { id: 'MLF-WAF-2', target: 'aws_wafv2_web_acl.acl', good: acl([rateRule()]), bad: acl([]) },
  { id: 'MLF-WAF-3', target: 'aws_wafv2_web_acl.acl', good: acl([rateRule()]), bad: acl([{ ...rateRule(), action: undefined }]) },
  {
    id: 'MLF-WAF-4',
    target: 'aws_wafv2_web_acl.acl',
    good: merge(acl([rateRule()]), one('aws_wafv2_web_acl_logging_configuration', 'log', { resource_arn: ref('aws_wafv2_web_acl.acl', 'arn'), log_destination_configs: [] })),
    bad: acl([rateRule()]),
  },
  {
    id: 'MLF-WAF-5',
    target: 'aws_wafv2_web_acl_logging_configuration.log',
    good: merge(one('aws_cloudwatch_log_group', 'waf', { name: 'aws-waf-logs-mlflow' }), one('aws_wafv2_web_acl_logging_configuration', 'log', { log_destination_configs: [ref('aws_cloudwatch_log_group.waf', 'arn')] })),
    bad: merge(one('aws_cloudwatch_log_group', 'waf', { name: '/waf/mlflow' }), one('aws_wafv2_web_acl_logging_configuration', 'log', { log_destination_configs: [ref('aws_cloudwatch_log_group.waf', 'arn')] })),
  },
  { id: 'MLF-WAF-6', target: 'aws_wafv2_web_acl.acl', good: acl([rateRule()]), bad: acl([rateRule({ count: {} })]) },
  { id: 'MLF-WAF-7', target: 'aws_wafv2_web_acl.acl', good: acl([rateRule()]), bad: acl([{ ...rateRule(), visibility_config: { ...vis, sampled_requests_enabled: false } }]) },
  {
    id: 'MLF-WAF-8',
    target: 'aws_wafv2_web_acl.acl',
    good: acl([managed('AWSManagedRulesAnonymousIpList', { rule_action_override: [{ name: 'HostingProviderIPList', action_to_use: { count: {} } }] })]),
    bad: acl([managed('AWSManagedRulesAnonymousIpList')]),
  },
  // ECS
  { id: 'MLF-ECS-1', target: 'aws_ecs_cluster.c', good: one('aws_ecs_cluster', 'c', { setting: [{ name: 'containerInsights', value: 'enabled' }] }), bad: one('aws_ecs_cluster', 'c', { setting: [{ name: 'containerInsights', value: 'enhanced' }] }) },
  {
    id: 'MLF-ECS-2',
    target: 'aws_ecs_cluster.c',
    good: one('aws_ecs_cluster', 'c', { configuration: { execute_command_configuration: { logging: 'DEFAULT', kms_key_id: 'arn:key' } } }),
    bad: one('aws_ecs_cluster', 'c', { configuration: { execute_command_configuration: { logging: 'NONE', kms_key_id: 'arn:key' } } }),
  },
  { id: 'MLF-ECS-3', target: 'aws_ecs_service.svc', good: service({ platform_version: 'LATEST' }), bad: service({ platform_version: '1.3.0' }) },
  { id: 'MLF-ECS-4', target: 'aws_ecs_service.svc', good: service(), bad: service({ network_configuration: { assign_public_ip: true } }) },
  { id: 'MLF-ECS-5', target: 'aws_ecs_service.svc', good: service(), bad: service({ iam_role: 'arn:aws:iam::123456789012:role/ecs-admin' }) },
  { id: 'MLF-ECS-6', target: 'aws_ecs_service.svc', production: true, good: service(), bad: service({ desired_count: 1 }) },
  { id: 'MLF-ECS-7', target: 'aws_ecs_task_definition.task', good: task(), bad: task({ readonlyRootFilesystem: false }) },
  { id: 'MLF-ECS-8', target: 'aws_ecs_task_definition.task', good: task(), bad: task({ privileged: true }) },
  { id: 'MLF-ECS-9', target: 'aws_ecs_task_definition.task', good: task(), bad: task({ pidMode: 'host' }) },
  { id: 'MLF-ECS-10', target: 'aws_ecs_task_definition.task', good: task(), bad: task({}, { task_role_arn: ref('aws_iam_role.exec', 'arn') }) },
  {
    id: 'MLF-ECS-11',
    target: 'aws_ecs_task_definition.task',
    good: task({}, { volume: [{ name: 'efs', efs_volume_configuration: { file_system_id: 'fs', transit_encryption: 'ENABLED' } }] }),
    bad: task({}, { volume: [{ name: 'efs', efs_volume_configuration: { file_system_id: 'fs', transit_encryption: 'DISABLED' } }] }),
  },
  {
    id: 'MLF-ECS-12',
    target: 'aws_ecs_task_definition.task',
    good: task({}, { volume: [{ name: 'efs', efs_volume_configuration: { file_system_id: 'fs', transit_encryption: 'ENABLED' } }] }),
    bad: task({}, { volume: [{ name: 'tmp' }] }),
  },
  { id: 'MLF-ECS-13', target: 'aws_ecs_task_definition.task', good: task(), bad: task({}, { network_mode: 'bridge' }) },
  { id: 'MLF-ECS-14', target: 'aws_ecs_task_definition.task', good: task(), bad: task({ environment: [{ name: 'DB_SECRET_ARN', value: 'arn' }] }) },
  { id: 'MLF-ECS-15', target: 'aws_ecs_task_definition.task', good: task(), bad: task({ user: '0:0' }) },
  { id: 'MLF-ECS-16', target: 'aws_ecs_task_definition.task', good: task(), bad: task({}, {}, null) },
  { id: 'MLF-ECS-17', target: 'aws_ecs_task_definition.task', good: task(), bad: task({ linuxParameters: { capabilities: { drop: [] } } }) },
  { id: 'MLF-ECS-18', target: 'aws_ecs_task_definition.task', good: task(), bad: task({ healthCheck: undefined }) },
  // ECR
  { id: 'MLF-ECR-1', target: R, good: repo(), bad: repo({ image_tag_mutability: 'MUTABLE' }) },
  { id: 'MLF-ECR-2', target: R, good: repo(), bad: repo({ image_scanning_configuration: { scan_on_push: false } }) },
  { id: 'MLF-ECR-3', target: R, good: repo(), bad: repo({ encryption_configuration: [{ encryption_type: 'AES256' }] }) },
  {
    id: 'MLF-ECR-4',
    target: R,
    good: merge(repo(), one('aws_ecr_lifecycle_policy', 'lc', { repository: ref(R, 'name'), policy: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged' }, action: { type: 'expire' } }] }) })),
    bad: repo(),
  },
  { id: 'MLF-ECR-5', target: R, good: merge(repo(), one('aws_ecr_repository_policy', 'p', { repository: ref(R, 'name'), policy: policy() })), bad: repo() },
  {
    id: 'MLF-ECR-6',
    target: 'aws_ecr_repository_policy.p',
    good: one('aws_ecr_repository_policy', 'p', { policy: policy({ Sid: 'Pull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/exec' }, Action: ['ecr:BatchGetImage'] }) }),
    bad: one('aws_ecr_repository_policy', 'p', { policy: policy({ Sid: 'Pull', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage'] }) }),
  },
  // RDS
  { id: 'MLF-RDS-1', target: DB, good: instance(), bad: instance({ storage_encrypted: false }) },
  { id: 'MLF-RDS-2', target: DB, good: instance(), bad: instance({ publicly_accessible: true }) },
  { id: 'MLF-RDS-3', target: CL, good: cluster(), bad: cluster({ iam_database_authentication_enabled: false }) },
  { id: 'MLF-RDS-4', target: CL, good: cluster(), bad: cluster({ deletion_protection: false }) },
  { id: 'MLF-RDS-5', target: DB, production: true, good: instance(), bad: instance({ backup_retention_period: 1 }) },
  { id: 'MLF-RDS-6', target: DB, good: instance(), bad: instance({ enabled_cloudwatch_logs_exports: [] }) },
  { id: 'MLF-RDS-7', target: DB, good: instance(), bad: instance({ auto_minor_version_upgrade: undefined }) },
  { id: 'MLF-RDS-8', target: CL, production: true, good: cluster(), bad: cluster({}, undefined, 1) },
  { id: 'MLF-RDS-9', target: DB, good: instance(), bad: instance({ monitoring_interval: 0 }) },
  { id: 'MLF-RDS-10', target: DB, good: instance(), bad: instance({ performance_insights_enabled: false }) },
  { id: 'MLF-RDS-11', target: DB, good: instance(), bad: instance({ performance_insights_kms_key_id: undefined }) },
  { id: 'MLF-RDS-12', target: CL, good: cluster(), bad: cluster({ copy_tags_to_snapshot: false }) },
  { id: 'MLF-RDS-13', target: DB, good: instance(), bad: instance({ ca_cert_identifier: 'rds-ca-2019' }) },
  { id: 'MLF-RDS-14', target: DB, good: instance(), bad: instance({}, [{ name: 'rds.force_ssl', value: '0' }]) },
  { id: 'MLF-RDS-15', target: CL, good: cluster(), bad: cluster({}, [{ name: 'log_statement', value: 'ddl' }]) },
  { id: 'MLF-RDS-16', target: CL, good: cluster(), bad: cluster({}, [{ name: 'rds.force_ssl', value: '1' }, { name: 'log_statement', value: 'ddl' }]) },
  { id: 'MLF-RDS-17', target: DB, good: instance(), bad: instance({ port: 5432 }) },
  { id: 'MLF-RDS-18', target: DB, good: instance(), bad: instance({ engine_version: '12.19' }) },
  { id: 'MLF-RDS-19', target: CL, good: cluster(), bad: cluster({ kms_key_id: undefined }) },
  { id: 'MLF-RDS-20', target: CL, good: cluster(), bad: cluster({ manage_master_user_password: undefined, master_password: 'literal-password' }) },
  { id: 'MLF-RDS-21', target: CL, good: cluster(), bad: cluster({ serverlessv2_scaling_configuration: { min_capacity: 8, max_capacity: 2 } }) },
  // Secrets Manager
  {
    id: 'MLF-SM-1',
    target: 'aws_secretsmanager_secret.s',
    good: one('aws_secretsmanager_secret', 's', { kms_key_id: ref('aws_kms_key.key', 'arn') }),
    bad: one('aws_secretsmanager_secret', 's', { kms_key_id: 'alias/aws/secretsmanager' }),
  },
  {
    id: 'MLF-SM-2',
    target: 'aws_secretsmanager_secret.s',
    good: merge(one('aws_secretsmanager_secret', 's', {}), one('aws_secretsmanager_secret_rotation', 'r', { secret_id: ref('aws_secretsmanager_secret.s'), rotation_rules: { automatically_after_days: 30 } })),
    bad: merge(one('aws_secretsmanager_secret', 's', {}), one('aws_secretsmanager_secret_rotation', 'r', { secret_id: ref('aws_secretsmanager_secret.s'), rotation_rules: { automatically_after_days: 180 } })),
  },
  // Logs
  { id: 'MLF-LOGS-1', target: 'aws_cloudwatch_log_group.g', good: one('aws_cloudwatch_log_group', 'g', { kms_key_id: 'arn:key' }), bad: one('aws_cloudwatch_log_group', 'g', {}) },
  { id: 'MLF-LOGS-2', target: 'aws_cloudwatch_log_group.g', production: true, good: one('aws_cloudwatch_log_group', 'g', { retention_in_days: 731 }), bad: one('aws_cloudwatch_log_group', 'g', { retention_in_days: 1096 }) },
  {
    id: 'MLF-LOGS-3',
    target: 'aws_cloudwatch_metric_alarm.a',
    good: one('aws_cloudwatch_metric_alarm', 'a', { alarm_actions: [ref('aws_sns_topic.t', 'arn')] }),
    bad: one('aws_cloudwatch_metric_alarm', 'a', { alarm_actions: [ref('aws_sns_topic.t', 'arn')], actions_enabled: false }),
  },
  // KMS
  { id: 'MLF-KMS-1', target: 'aws_kms_key.key', good: key(), bad: key({ enable_key_rotation: false }) },
  { id: 'MLF-KMS-2', target: 'aws_kms_key.key', good: key(), bad: key({ is_enabled: false }) },
  { id: 'MLF-KMS-3', target: 'aws_kms_key.key', good: key(), bad: key({ policy: policy({ Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }) }) },
  { id: 'MLF-KMS-4', target: 'aws_kms_key.key', good: key(), bad: key({ deletion_window_in_days: 7 }) },
  // VPC
  { id: 'MLF-VPC-1', target: V, good: merge(vpc, one('aws_flow_log', 'fl', { vpc_id: ref(V), traffic_type: 'ALL' })), bad: merge(vpc, one('aws_flow_log', 'fl', { subnet_id: 'subnet-1' })) },
  {
    id: 'MLF-VPC-2',
    target: V,
    good: merge(vpc, one('aws_default_security_group', 'd', { vpc_id: ref(V) })),
    bad: merge(vpc, one('aws_default_security_group', 'd', { vpc_id: ref(V), ingress: [{ protocol: '-1', from_port: 0, to_port: 0, self: true }] })),
  },
  { id: 'MLF-VPC-3', target: V, good: vpc, bad: one('aws_vpc', 'vpc', { cidr_block: '10.0.0.0/16', is_default: true }) },
  { id: 'MLF-VPC-4', target: V, good: merge(vpc, one('aws_networkfirewall_firewall', 'fw', { vpc_id: ref(V) })), bad: vpc },
  { id: 'MLF-VPC-5', target: 'aws_subnet.s', good: one('aws_subnet', 's', { map_public_ip_on_launch: false }), bad: one('aws_subnet', 's', { map_public_ip_on_launch: true }) },
  {
    id: 'MLF-VPC-6',
    target: 'aws_route_table.rt',
    good: one('aws_route_table', 'rt', { route: [{ cidr_block: '0.0.0.0/0', nat_gateway_id: ref('aws_nat_gateway.nat') }] }),
    bad: one('aws_route_table', 'rt', { route: [{ cidr_block: '0.0.0.0/0', network_interface_id: 'eni-1' }] }),
  },
  { id: 'MLF-VPC-7', target: 'aws_eip.e', good: merge(one('aws_eip', 'e', { domain: 'vpc' }), one('aws_nat_gateway', 'nat', { allocation_id: ref('aws_eip.e') })), bad: one('aws_eip', 'e', { domain: 'vpc' }) },
  { id: 'MLF-VPC-8', target: LB, good: merge(lb(), one('aws_shield_protection', 'sp', { resource_arn: ref(LB, 'arn') })), bad: lb() },
  // Security groups (the three rule forms)
  { id: 'MLF-SG-1', target: 'aws_security_group.sg', good: sg({ ingress: [ingress(443, { cidr_blocks: ['10.0.0.0/28'] })] }), bad: sg({ ingress: [ingress(443, { description: '' })] }) },
  { id: 'MLF-SG-2', target: 'aws_security_group.sg', good: merge(sg({}), albWithSg), bad: sg({}) },
  {
    id: 'MLF-SG-3',
    target: 'aws_vpc_security_group_ingress_rule.ssh',
    good: one('aws_vpc_security_group_ingress_rule', 'ssh', { security_group_id: ref('aws_security_group.sg'), ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.5/32', description: 'x' }),
    bad: one('aws_vpc_security_group_ingress_rule', 'ssh', { security_group_id: ref('aws_security_group.sg'), ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0', description: 'x' }),
    badVariants: [
      { why: 'RDP (3389) from 0.0.0.0/0', resources: one('aws_vpc_security_group_ingress_rule', 'ssh', { security_group_id: ref('aws_security_group.sg'), ip_protocol: 'tcp', from_port: 3389, to_port: 3389, cidr_ipv4: '0.0.0.0/0', description: 'x' }) },
      { why: 'SSH from ::/0', resources: one('aws_vpc_security_group_ingress_rule', 'ssh', { security_group_id: ref('aws_security_group.sg'), ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv6: '::/0', description: 'x' }) },
      { why: 'a port range that covers 22', resources: one('aws_vpc_security_group_ingress_rule', 'ssh', { security_group_id: ref('aws_security_group.sg'), ip_protocol: 'tcp', from_port: 20, to_port: 30, cidr_ipv4: '0.0.0.0/0', description: 'x' }) },
      { why: 'all protocols ("-1") from the internet', resources: one('aws_vpc_security_group_ingress_rule', 'ssh', { security_group_id: ref('aws_security_group.sg'), ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0', description: 'x' }) },
    ],
  },
  {
    id: 'MLF-SG-4',
    target: 'aws_security_group_rule.r',
    good: merge(sg({}), albWithSg, one('aws_security_group_rule', 'r', { type: 'ingress', security_group_id: ref('aws_security_group.sg'), protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'], description: 'x' })),
    bad: merge(sg({}), one('aws_security_group_rule', 'r', { type: 'ingress', security_group_id: ref('aws_security_group.sg'), protocol: 'tcp', from_port: 5000, to_port: 5000, cidr_blocks: ['0.0.0.0/0'], description: 'x' })),
  },
  { id: 'MLF-SG-5', target: 'aws_security_group.sg', good: sg({ ingress: [ingress(443, { cidr_blocks: ['0.0.0.0/0'] })] }), bad: sg({ ingress: [ingress(80, { cidr_blocks: ['0.0.0.0/0'] })] }) },
  { id: 'MLF-SG-6', target: 'aws_security_group.sg', good: sg({ ingress: [ingress(443, { security_groups: [ref('aws_security_group.other')] })] }), bad: sg({ ingress: [ingress(443, { cidr_blocks: ['::/0'] })] }) },
  { id: 'MLF-SG-7', target: 'aws_security_group.sg', good: sg({ ingress: [ingress(443, { cidr_blocks: ['0.0.0.0/0'] })] }), bad: sg({ ingress: [{ ...ingress(0, { cidr_blocks: ['0.0.0.0/0'] }), protocol: '-1' }] }) },
  { id: 'MLF-SG-8', target: 'aws_security_group.sg', good: sg({ ingress: [ingress(5432, { security_groups: [ref('aws_security_group.tasks')] })] }), bad: sg({ ingress: [ingress(5432, { cidr_blocks: ['10.0.0.0/16'] })] }) },
  {
    id: 'MLF-SG-9',
    target: 'aws_security_group.sg',
    good: sg({ egress: [ingress(443, { cidr_blocks: ['0.0.0.0/0'] })] }),
    bad: sg({ egress: [{ ...ingress(0, { cidr_blocks: ['0.0.0.0/0'] }), protocol: '-1' }] }),
    badVariants: [{ why: 'tcp on every port (0-65535) to the internet', resources: sg({ egress: [{ ...ingress(0, { cidr_blocks: ['0.0.0.0/0'] }), to_port: 65535 }] }) }],
  },
  { id: 'MLF-SG-10', target: 'aws_security_group.sg', good: sg({ egress: [ingress(5432, { cidr_blocks: ['10.0.0.0/16'] })] }), bad: sg({ egress: [ingress(443, { cidr_blocks: ['0.0.0.0/0'] })] }) },
  // IAM
  { id: 'MLF-IAM-1', target: 'aws_iam_role.role', good: trust({ Service: 'ecs-tasks.amazonaws.com' }), bad: trust({ AWS: '*' }) },
  { id: 'MLF-IAM-2', target: 'aws_iam_role.role', good: trust({ Service: 'ecs-tasks.amazonaws.com' }), bad: trust({ AWS: 'arn:aws:iam::123456789012:root' }) },
  { id: 'MLF-IAM-3', target: 'aws_iam_role_policy.p', good: rolePolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), bad: rolePolicy({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' }) },
  { id: 'MLF-IAM-4', target: 'aws_iam_role_policy.p', good: rolePolicy({ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' }), bad: rolePolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) },
  { id: 'MLF-IAM-5', target: 'aws_iam_role_policy.p', good: rolePolicy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::b/*' }), bad: rolePolicy({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }) },
  { id: 'MLF-IAM-6', target: 'aws_iam_role_policy.p', good: rolePolicy({ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: 'arn:log' }), bad: rolePolicy({ Effect: 'Allow', Action: 'iam:Put*', Resource: 'arn:role' }) },
  {
    id: 'MLF-IAM-7',
    target: 'aws_s3_bucket_policy.x',
    good: onBucket('aws_s3_bucket_policy', { policy: policy(tlsDeny) }),
    bad: onBucket('aws_s3_bucket_policy', { policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn' }) }),
  },
  // SNS
  { id: 'MLF-SNS-1', target: 'aws_sns_topic.t', good: one('aws_sns_topic', 't', { kms_master_key_id: ref('aws_kms_key.key', 'arn') }), bad: one('aws_sns_topic', 't', { kms_master_key_id: 'alias/aws/sns' }) },
  {
    id: 'MLF-SNS-2',
    target: 'aws_sns_topic_policy.p',
    good: one('aws_sns_topic_policy', 'p', { policy: policy({ Sid: 'Alarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: 'arn', Condition: { StringEquals: { 'aws:SourceAccount': '1' } } }) }),
    bad: one('aws_sns_topic_policy', 'p', { policy: policy({ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: 'arn' }) }),
  },
  {
    id: 'MLF-SNS-3',
    target: 'aws_sns_topic.t',
    good: merge(key({ policy: keyPolicy(cloudwatchGrant) }), one('aws_sns_topic', 't', { kms_master_key_id: ref('aws_kms_key.key', 'arn') }), one('aws_cloudwatch_metric_alarm', 'a', { alarm_actions: [ref('aws_sns_topic.t', 'arn')] })),
    bad: merge(key(), one('aws_sns_topic', 't', { kms_master_key_id: ref('aws_kms_key.key', 'arn') }), one('aws_cloudwatch_metric_alarm', 'a', { alarm_actions: [ref('aws_sns_topic.t', 'arn')] })),
  },
  // ACM / Route 53
  { id: 'MLF-ACM-1', target: 'aws_acm_certificate.c', good: one('aws_acm_certificate', 'c', { domain_name: 'mlflow.example.com', lifecycle: { create_before_destroy: true } }), bad: one('aws_acm_certificate', 'c', { domain_name: 'mlflow.example.com' }) },
  {
    id: 'MLF-ACM-2',
    target: 'aws_acm_certificate.c',
    good: one('aws_acm_certificate', 'c', { domain_name: 'mlflow.example.com' }),
    bad: one('aws_acm_certificate', 'c', { domain_name: 'mlflow.example.com', options: { certificate_transparency_logging_preference: 'DISABLED' } }),
  },
  { id: 'MLF-ACM-3', target: 'aws_acm_certificate.c', good: one('aws_acm_certificate', 'c', { domain_name: 'mlflow.example.com' }), bad: one('aws_acm_certificate', 'c', { domain_name: '*.example.com' }) },
  {
    id: 'MLF-ACM-4',
    target: 'aws_acm_certificate.c',
    good: merge(one('aws_acm_certificate', 'c', { domain_name: 'mlflow.example.com', validation_method: 'DNS' }), one('aws_acm_certificate_validation', 'v', { certificate_arn: ref('aws_acm_certificate.c', 'arn') })),
    bad: one('aws_acm_certificate', 'c', { domain_name: 'mlflow.example.com', validation_method: 'DNS' }),
  },
  {
    id: 'MLF-R53-1',
    target: 'aws_route53_record.r',
    good: merge(lb(), one('aws_route53_record', 'r', { type: 'A', alias: { name: ref(LB, 'dns_name'), zone_id: ref(LB, 'zone_id'), evaluate_target_health: true } })),
    bad: one('aws_route53_record', 'r', { type: 'A', records: [] }),
  },
  {
    id: 'MLF-R53-2',
    target: 'aws_route53_zone.z',
    good: merge(one('aws_route53_zone', 'z', { name: 'example.com' }), one('aws_route53_hosted_zone_dnssec', 'd', { hosted_zone_id: ref('aws_route53_zone.z', 'id') }), one('aws_route53_query_log', 'q', { zone_id: ref('aws_route53_zone.z', 'zone_id') })),
    bad: one('aws_route53_zone', 'z', { name: 'example.com' }),
  },
  // Cognito
  { id: 'MLF-COG-1', target: 'aws_cognito_user_pool.pool', good: pool(), bad: pool({ mfa_configuration: 'OFF' }) },
  { id: 'MLF-COG-2', target: 'aws_cognito_user_pool.pool', good: pool(), bad: pool({ admin_create_user_config: { allow_admin_create_user_only: false } }) },
  { id: 'MLF-COG-3', target: 'aws_cognito_user_pool.pool', good: pool(), bad: pool({ user_pool_add_ons: undefined }) },
  { id: 'MLF-COG-4', target: 'aws_cognito_user_pool_client.client', good: client(), bad: client({ allowed_oauth_flows: ['code', 'implicit'] }) },
  { id: 'MLF-COG-5', target: 'aws_cognito_user_pool_domain.d', good: one('aws_cognito_user_pool_domain', 'd', { domain: 'fraud-scoring-mlflow' }), bad: one('aws_cognito_user_pool_domain', 'd', { domain: 'mlflow-cognito' }) },
  { id: 'MLF-COG-6', target: 'aws_cognito_identity_pool.i', good: one('aws_cognito_identity_pool', 'i', { allow_unauthenticated_identities: false }), bad: one('aws_cognito_identity_pool', 'i', { allow_unauthenticated_identities: true }) },
  // App Runner
  { id: 'MLF-APR-1', target: 'aws_apprunner_service.svc', good: apprunner(), bad: apprunner({ encryption_configuration: undefined }) },
  { id: 'MLF-APR-2', target: 'aws_apprunner_service.svc', good: apprunner(), bad: apprunner({ network_configuration: { egress_configuration: { egress_type: 'DEFAULT' }, ingress_configuration: { is_publicly_accessible: true } } }) },
  { id: 'MLF-APR-3', target: 'aws_apprunner_service.svc', good: apprunner(), bad: apprunner({ network_configuration: { egress_configuration: { egress_type: 'VPC', vpc_connector_arn: 'arn' } } }) },
  { id: 'MLF-APR-4', target: 'aws_apprunner_service.svc', good: apprunner(), bad: apprunner({ health_check_configuration: { protocol: 'TCP' } }) },
  { id: 'MLF-APR-5', target: 'aws_apprunner_service.svc', good: apprunner(), bad: apprunner({ instance_configuration: { cpu: '1024' } }) },
  {
    id: 'MLF-APR-6',
    target: 'aws_apprunner_service.svc',
    good: apprunner(),
    bad: one('aws_apprunner_service', 'svc', { network_configuration: { ingress_configuration: { is_publicly_accessible: true } } }),
  },
  { id: 'MLF-APR-7', target: 'aws_apprunner_vpc_connector.c', good: one('aws_apprunner_vpc_connector', 'c', { security_groups: [ref('aws_security_group.sg')] }), bad: one('aws_apprunner_vpc_connector', 'c', { security_groups: [] }) },
  {
    id: 'MLF-APR-8',
    target: 'aws_apprunner_service.svc',
    good: one('aws_apprunner_service', 'svc', { source_configuration: { image_repository: { image_configuration: { runtime_environment_variables: { MLFLOW_DB_HOST: 'db', MLFLOW_AUTH: 'basic-auth' } } } } }),
    bad: one('aws_apprunner_service', 'svc', { network_configuration: { ingress_configuration: { is_publicly_accessible: false } }, source_configuration: { image_repository: { image_configuration: { runtime_environment_variables: { MLFLOW_DB_HOST: 'db', MLFLOW_AUTH: 'none' } } } } }),
  },
  // Autoscaling
  { id: 'MLF-ASG-1', target: 'aws_appautoscaling_target.t', production: true, good: one('aws_appautoscaling_target', 't', { min_capacity: 2, max_capacity: 6 }), bad: one('aws_appautoscaling_target', 't', { min_capacity: 1, max_capacity: 6 }) },
  {
    id: 'MLF-ASG-2',
    target: 'aws_appautoscaling_target.t',
    good: merge(one('aws_appautoscaling_target', 't', { min_capacity: 2, max_capacity: 6 }), one('aws_appautoscaling_policy', 'cpu', { resource_id: ref('aws_appautoscaling_target.t', 'resource_id') })),
    bad: one('aws_appautoscaling_target', 't', { min_capacity: 2, max_capacity: 6 }),
  },
  // API Gateway
  { id: 'MLF-APIGW-1', target: 'aws_apigatewayv2_route.r', good: one('aws_apigatewayv2_route', 'r', { route_key: 'ANY /api/{proxy+}', authorization_type: 'AWS_IAM' }), bad: one('aws_apigatewayv2_route', 'r', { route_key: 'ANY /api/{proxy+}' }) },
  { id: 'MLF-APIGW-2', target: 'aws_apigatewayv2_stage.s', good: one('aws_apigatewayv2_stage', 's', { access_log_settings: { destination_arn: 'arn:log', format: '{}' } }), bad: one('aws_apigatewayv2_stage', 's', {}) },
  // General
  { id: 'MLF-GEN-1', target: DB, good: instance({ password: '${random_password.p.result}' }), bad: instance({ password: 'Sup3rSecret!' }) },
  {
    id: 'MLF-GEN-2',
    target: 'provider.aws',
    good: {},
    bad: {},
    goodProvider: { aws: [{ region: 'us-east-1', default_tags: [{ tags: { Project: 'p', Environment: 'e', ManagedBy: 'terraform' } }] }] },
    badProvider: { aws: [{ region: 'us-east-1' }] },
  },
  {
    id: 'MLF-GEN-1',
    target: 'provider.aws',
    good: {},
    bad: {},
    goodProvider: { aws: [{ region: 'us-east-1' }] },
    badProvider: { aws: [{ region: 'us-east-1', access_key: 'AKIAIOSFODNN7EXAMPLE', secret_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }] },
  },
  // MLF-GEN-3: one case per place a credential URI can hide
  {
    id: 'MLF-GEN-3',
    target: 'aws_ecs_task_definition.task',
    good: task({ environment: [{ name: 'MLFLOW_DB_HOST', value: 'db.example.internal' }, { name: 'MLFLOW_TRACKING_URI', value: 'https://mlflow.example.com/' }] }),
    bad: task({ environment: [{ name: 'MLFLOW_BACKEND_STORE_URI', value: 'postgresql://mlflow:hunter2@db.example.internal:5432/mlflow' }] }),
  },
  {
    id: 'MLF-GEN-3',
    target: 'aws_ecs_task_definition.task',
    good: task({ command: ['server', '--backend-store-uri', 'postgresql://db.example.internal/mlflow'] }),
    bad: task({ command: ['server', '--backend-store-uri', 'postgresql://mlflow:${random_password.db.result}@db/mlflow'] }),
  },
  {
    id: 'MLF-GEN-3',
    target: 'aws_apprunner_service.svc',
    good: one('aws_apprunner_service', 'svc', { source_configuration: { image_repository: { image_configuration: { runtime_environment_variables: { MLFLOW_DB_HOST: 'db' }, runtime_environment_secrets: { MLFLOW_DB_PASSWORD: 'arn:secret' } } } } }),
    bad: one('aws_apprunner_service', 'svc', { source_configuration: { image_repository: { image_configuration: { runtime_environment_variables: { CACHE_URL: 'redis://:s3cr3t@cache:6379/0' } } } } }),
  },
  { id: 'MLF-GEN-3', target: 'aws_lambda_function.f', good: one('aws_lambda_function', 'f', { environment: { variables: { URL: 'https://user@host/' } } }), bad: one('aws_lambda_function', 'f', { environment: { variables: { URL: 'https://user:pw@host/' } } }) },
  // MLF-GEN-4: one case per kind of secret-like tag
  { id: 'MLF-GEN-4', target: B, good: bucket({ tags: { Name: 'fraud-scoring-models', Owner: 'ml-platform', CostCenter: 'cc-1234' } }), bad: bucket({ tags: { DbPassword: 'anything' } }) },
  { id: 'MLF-GEN-4', target: B, good: bucket({ tags: { Build: '2026-12-04T10:00:00Z', Commit: '0123456789abcdef0123456789abcdef01234567' } }), bad: bucket({ tags: { Note: 'Xk9#mQ2vL8pR4tW7zB1nC6dF' } }) },
  { id: 'MLF-GEN-4', target: B, good: bucket({ tags: { Ci: 'github-actions' } }), bad: bucket({ tags: { Ci: 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789' } }) },
  { id: 'MLF-GEN-4', target: B, good: bucket({ tags: { Source: 'https://github.com/org/repo' } }), bad: bucket({ tags: { Source: 'https://deploy:tok3n@github.com/org/repo' } }) },
  {
    id: 'MLF-GEN-4',
    target: 'provider.aws',
    good: {},
    bad: {},
    goodProvider: { aws: [{ region: 'us-east-1', default_tags: [{ tags: { Project: 'p', Environment: 'e' } }] }] },
    badProvider: { aws: [{ region: 'us-east-1', default_tags: [{ tags: { Project: 'p', Key: 'AKIAIOSFODNN7EXAMPLE' } }] }] },
  },
];
