/**
 * The production stack's resources, asserted on the synthesized JSON: properties and the relations
 * between resources (issue 2). Staging differences are asserted where config changes behaviour.
 */
import { production } from '../../src/config/environments/production';
import { staging } from '../../src/config/environments/staging';
import { EnvironmentConfig } from '../../src/config/types';
import { HEALTH_CHECK_COMMAND, IMAGE_ENV, IMAGE_USER } from '../../src/image/contract';
import { Json, policy, ref, resource, resourcesOfType, synthStack } from '../helpers/synth';

const prod = synthStack(production);
const stag = synthStack(staging);

function containers(stack: Json, name = 'mlflow_task'): Json[] {
  return JSON.parse(resource(stack, 'aws_ecs_task_definition', name).container_definitions);
}
function envOf(container: Json): Record<string, string> {
  return Object.fromEntries(container.environment.map((e: Json) => [e.name, e.value]));
}
function withConfig(patch: (c: EnvironmentConfig) => EnvironmentConfig): Json {
  return synthStack(patch(production));
}

describe('providers and backend', () => {
  test('AWS provider pinned to the account and region, with default tags, and a constraint that accepts 5.100.0', () => {
    const aws = prod.provider.aws[0];
    expect(aws.region).toBe('us-east-1');
    expect(aws.allowed_account_ids).toEqual(['123456789012']);
    expect(aws.default_tags[0].tags).toMatchObject({ Project: 'fraud-scoring', Environment: 'production', ManagedBy: 'terraform' });
    expect(prod.terraform.required_providers.aws).toEqual({ source: 'hashicorp/aws', version: '>= 5.0, < 6.0' });
    expect(prod.terraform.required_providers.random.version).toBe('>= 3.5, < 4.0');
  });

  test('production uses Terraform Cloud with its workspace', () => {
    expect(prod.terraform.cloud).toEqual({ organization: 'fraud-scoring', workspaces: { name: 'mlflow-production' } });
    expect(prod.terraform.backend).toBeUndefined();
  });

  test('staging uses S3 with S3-native locking', () => {
    expect(stag.terraform.backend.s3).toMatchObject({ bucket: 'fraud-scoring-tfstate', key: 'mlflow-staging/terraform.tfstate', encrypt: true, use_lockfile: true });
  });

  test('local backend takes a relative path', () => {
    const local = withConfig((c) => ({ ...c, backend: { type: 'local', path: 'terraform.mlflow-production.tfstate' } }));
    expect(local.terraform.backend.local).toEqual({ path: 'terraform.mlflow-production.tfstate' });
  });

  test('no data source needs the AWS API', () => {
    expect(prod.data).toBeUndefined();
    expect(stag.data).toBeUndefined();
  });
});

describe('network', () => {
  test('VPC with the legacy CIDR and DNS support', () => {
    expect(resource(prod, 'aws_vpc', 'network_vpc')).toMatchObject({ cidr_block: '10.20.0.0/16', enable_dns_hostnames: true, enable_dns_support: true });
  });

  test('a public and a private subnet in each AZ, with the legacy CIDRs, not mapping public IPs', () => {
    const subnets = resourcesOfType(prod, 'aws_subnet');
    expect(Object.keys(subnets).sort()).toEqual(['network_private_us_east_1a', 'network_private_us_east_1b', 'network_public_us_east_1a', 'network_public_us_east_1b']);
    expect(subnets.network_public_us_east_1a).toMatchObject({ cidr_block: '10.20.0.0/24', availability_zone: 'us-east-1a', map_public_ip_on_launch: false });
    expect(subnets.network_public_us_east_1b).toMatchObject({ cidr_block: '10.20.1.0/24', availability_zone: 'us-east-1b' });
    expect(subnets.network_private_us_east_1a).toMatchObject({ cidr_block: '10.20.10.0/24', availability_zone: 'us-east-1a' });
    expect(subnets.network_private_us_east_1b).toMatchObject({ cidr_block: '10.20.11.0/24', availability_zone: 'us-east-1b' });
    for (const s of Object.values(subnets)) expect(s.vpc_id).toBe(ref('aws_vpc.network_vpc', 'id'));
  });

  test('public route table goes to the internet gateway', () => {
    const rt = resource(prod, 'aws_route_table', 'network_public_routes');
    expect(rt.route).toEqual([expect.objectContaining({ cidr_block: '0.0.0.0/0', gateway_id: ref('aws_internet_gateway.network_igw', 'id') })]);
  });

  test('per-AZ NAT: each private subnet routes through the NAT gateway in its own AZ', () => {
    for (const az of ['us_east_1a', 'us_east_1b']) {
      const nat = resource(prod, 'aws_nat_gateway', `network_nat_${az}`);
      expect(nat.subnet_id).toBe(ref(`aws_subnet.network_public_${az}`, 'id'));
      expect(nat.allocation_id).toBe(ref(`aws_eip.network_nat_eip_${az}`, 'allocation_id'));
      const rt = resource(prod, 'aws_route_table', `network_private_routes_${az}`);
      expect(rt.route[0]).toMatchObject({ cidr_block: '0.0.0.0/0', nat_gateway_id: ref(`aws_nat_gateway.network_nat_${az}`, 'id') });
      expect(resource(prod, 'aws_route_table_association', `network_private_${az}_routes`)).toMatchObject({
        subnet_id: ref(`aws_subnet.network_private_${az}`, 'id'),
        route_table_id: ref(`aws_route_table.network_private_routes_${az}`, 'id'),
      });
    }
  });

  test('single NAT: one gateway, one private route table shared by every private subnet', () => {
    expect(Object.keys(resourcesOfType(stag, 'aws_nat_gateway'))).toEqual(['network_nat_us_east_1a']);
    for (const az of ['us_east_1a', 'us_east_1b']) {
      expect(resource(stag, 'aws_route_table_association', `network_private_${az}_routes`).route_table_id).toBe(ref('aws_route_table.network_private_routes', 'id'));
    }
  });

  test('flow logs for all traffic to an encrypted log group; the default security group has no rules', () => {
    expect(resource(prod, 'aws_flow_log', 'network_flow_log')).toMatchObject({
      traffic_type: 'ALL',
      vpc_id: ref('aws_vpc.network_vpc', 'id'),
      log_destination: ref('aws_cloudwatch_log_group.network_flow_logs', 'arn'),
    });
    expect(resource(prod, 'aws_cloudwatch_log_group', 'network_flow_logs').kms_key_id).toBe(ref('aws_kms_key.encryption_key', 'arn'));
    const dsg = resource(prod, 'aws_default_security_group', 'network_default_security_group');
    expect(dsg.ingress).toBeUndefined();
    expect(dsg.egress).toBeUndefined();
  });
});

describe('security groups', () => {
  const sg = (name: string) => resource(prod, 'aws_security_group', name);

  test('the ALB takes 80 and 443 from the internet, nothing else', () => {
    const ports = sg('security_alb').ingress.map((r: Json) => [r.from_port, r.to_port, r.cidr_blocks]);
    expect(ports).toEqual([
      [80, 80, ['0.0.0.0/0']],
      [443, 443, ['0.0.0.0/0']],
    ]);
  });

  test('tasks take 5000 only from the ALB security group', () => {
    expect(sg('security_tasks').ingress).toEqual([
      expect.objectContaining({ from_port: 5000, to_port: 5000, cidr_blocks: [], security_groups: [ref('aws_security_group.security_alb', 'id')] }),
    ]);
  });

  test('the database takes 5432 only from the tasks security group and initiates nothing', () => {
    expect(sg('security_database').ingress).toEqual([
      expect.objectContaining({ from_port: 5432, to_port: 5432, cidr_blocks: [], security_groups: [ref('aws_security_group.security_tasks', 'id')] }),
    ]);
    expect(sg('security_database').egress).toEqual([]);
  });

  test('every rule is described and the legacy names and descriptions are kept', () => {
    for (const [name, legacy] of [
      ['security_alb', ['fraud-scoring-alb-sg', 'ALB security group']],
      ['security_tasks', ['fraud-scoring-ecs-tasks-sg', 'Allow inbound access from the ALB only']],
      ['security_database', ['fraud-scoring-rds-sg', 'Allow Postgres from ECS tasks']],
    ] as const) {
      expect([sg(name).name, sg(name).description]).toEqual(legacy);
      for (const rule of [...sg(name).ingress, ...sg(name).egress]) expect(rule.description.length).toBeGreaterThan(10);
    }
  });
});

describe('database', () => {
  const db = resource(prod, 'aws_db_instance', 'database_instance');

  test('RDS Postgres with the legacy identity, encrypted, private, in the private subnets', () => {
    expect(db).toMatchObject({
      identifier: 'fraud-scoring-mlflow-db',
      engine: 'postgres',
      engine_version: '15.7',
      db_name: 'mlflow_db',
      username: 'mlflow_user',
      storage_encrypted: true,
      publicly_accessible: false,
      db_subnet_group_name: ref('aws_db_subnet_group.database_subnet_group', 'name'),
      vpc_security_group_ids: [ref('aws_security_group.security_database', 'id')],
    });
    expect(resource(prod, 'aws_db_subnet_group', 'database_subnet_group').subnet_ids).toEqual([
      ref('aws_subnet.network_private_us_east_1a', 'id'),
      ref('aws_subnet.network_private_us_east_1b', 'id'),
    ]);
  });

  test('a parameter group that forces SSL is attached', () => {
    const pg = resource(prod, 'aws_db_parameter_group', 'database_parameters');
    expect(pg.family).toBe('postgres15');
    expect(pg.parameter).toContainEqual(expect.objectContaining({ name: 'rds.force_ssl', value: '1' }));
    expect(db.parameter_group_name).toBe(ref('aws_db_parameter_group.database_parameters', 'name'));
  });

  test('production: Multi-AZ, backups, deletion protection and a final snapshot', () => {
    expect(db).toMatchObject({ multi_az: true, backup_retention_period: 14, deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: 'fraud-scoring-mlflow-db-final' });
    expect(db.enabled_cloudwatch_logs_exports).toEqual(['postgresql', 'upgrade']);
  });

  test('staging: single-AZ, no deletion protection, skips the final snapshot', () => {
    expect(resource(stag, 'aws_db_instance', 'database_instance')).toMatchObject({ multi_az: false, deletion_protection: false, skip_final_snapshot: true });
  });

  test('random mode: the password goes to RDS and into the secret, whose JSON keeps the legacy layout', () => {
    expect(db.password).toBe(ref('random_password.database_password', 'result'));
    expect(resource(prod, 'random_password', 'database_password')).toMatchObject({ length: 32, special: true, override_special: '!#$%&*()-_=+[]{}<>:?' });
    const version = resource(prod, 'aws_secretsmanager_secret_version', 'database_secret_value');
    expect(version.secret_id).toBe(ref('aws_secretsmanager_secret.database_secret', 'id'));
    expect(version.secret_string).toBe(
      '${jsonencode({"username" = "mlflow_user", "password" = random_password.database_password.result, "host" = aws_db_instance.database_instance.address, "port" = 5432, "dbname" = "mlflow_db"})}',
    );
    expect(resource(prod, 'aws_secretsmanager_secret', 'database_secret')).toMatchObject({ name: 'fraud-scoring/mlflow/db-credentials', kms_key_id: ref('aws_kms_key.encryption_key', 'arn') });
  });

  test('a new environment gets a URI-safe password character set by default', () => {
    const s = withConfig((c) => ({ ...c, database: { ...c.database, passwordSpecialCharacters: undefined } }));
    expect(resource(s, 'random_password', 'database_password').override_special).toBe('-_.~');
  });

  test('rds-managed mode: no random password or stack secret; the task reads the RDS-managed secret', () => {
    const sdb = resource(stag, 'aws_db_instance', 'database_instance');
    expect(sdb).toMatchObject({ manage_master_user_password: true, master_user_secret_kms_key_id: ref('aws_kms_key.encryption_key', 'arn') });
    expect(sdb.password).toBeUndefined();
    expect(resourcesOfType(stag, 'random_password')).toEqual({});
    expect(containers(stag)[0].secrets).toEqual([{ name: IMAGE_ENV.dbPassword, valueFrom: '${aws_db_instance.database_instance.master_user_secret[0].secret_arn}:password::' }]);
  });
});

describe('artifacts bucket', () => {
  const bucket = 'fraud-scoring-models-123456789012';

  test('access logging is switched on only after the log bucket policy grants S3 log delivery', () => {
    // Found by the emulator rehearsal: without the dependency PutBucketLogging can run before the
    // policy exists and S3 answers InvalidTargetBucketForLogging.
    for (const stack of [prod, stag]) {
      expect(resource(stack, 'aws_s3_bucket_logging', 'storage_artifacts_logging').depends_on).toEqual(['aws_s3_bucket_policy.storage_logs_policy']);
    }
  });

  test('staging destroys its buckets with their objects (the log bucket is never empty); production keeps them', () => {
    // Found by the emulator rehearsal: S3 delivers server access logs of terraform's own reads to
    // the log bucket, so a destroy without force_destroy stops with BucketNotEmpty (on AWS too).
    for (const name of ['storage_artifacts_bucket', 'storage_logs_bucket']) {
      expect(resource(stag, 'aws_s3_bucket', name).force_destroy).toBe(true);
      expect(resource(prod, 'aws_s3_bucket', name).force_destroy).toBe(false);
    }
  });

  test('one bucket, referenced everywhere; the legacy test bucket appears nowhere', () => {
    expect(resource(prod, 'aws_s3_bucket', 'storage_artifacts_bucket').bucket).toBe(bucket);
    expect(JSON.stringify(prod)).not.toContain('fraud-models-test');
    const env = envOf(containers(prod)[0]);
    expect(env[IMAGE_ENV.artifactsBucket]).toBe(bucket);
    expect(env[IMAGE_ENV.artifactsPrefix]).toBe('mlflow-artifacts/');
    expect(prod.output.artifacts_uri.value).toBe(`s3://${bucket}/mlflow-artifacts/`);
  });

  test('versioning, KMS default encryption, all four public access blocks, owner-enforced', () => {
    const b = ref('aws_s3_bucket.storage_artifacts_bucket', 'id');
    expect(resource(prod, 'aws_s3_bucket_versioning', 'storage_artifacts_versioning')).toMatchObject({ bucket: b, versioning_configuration: { status: 'Enabled' } });
    expect(resource(prod, 'aws_s3_bucket_server_side_encryption_configuration', 'storage_artifacts_encryption').rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: ref('aws_kms_key.encryption_key', 'arn') },
      bucket_key_enabled: true,
    });
    expect(resource(prod, 'aws_s3_bucket_public_access_block', 'storage_artifacts_public_access_block')).toMatchObject({
      bucket: b,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resource(prod, 'aws_s3_bucket_ownership_controls', 'storage_artifacts_ownership').rule.object_ownership).toBe('BucketOwnerEnforced');
  });

  test('the bucket policy denies any request without TLS', () => {
    const doc = policy(resource(prod, 'aws_s3_bucket_policy', 'storage_artifacts_policy').policy);
    expect(doc.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Resource: ['${aws_s3_bucket.storage_artifacts_bucket.arn}', '${aws_s3_bucket.storage_artifacts_bucket.arn}/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  test('lifecycle: artifacts under the prefix move to IA, then Glacier; old versions expire', () => {
    const rule = resource(prod, 'aws_s3_bucket_lifecycle_configuration', 'storage_artifacts_lifecycle').rule[0];
    expect(rule.filter).toEqual([{ prefix: 'mlflow-artifacts/' }]);
    expect(rule.transition).toEqual([
      { days: 30, storage_class: 'STANDARD_IA' },
      { days: 180, storage_class: 'GLACIER' },
    ]);
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 365 }]);
  });

  test('server access logs go to the log bucket, which uses SSE-S3 (ELB log delivery supports nothing else)', () => {
    expect(resource(prod, 'aws_s3_bucket_logging', 'storage_artifacts_logging').target_bucket).toBe(ref('aws_s3_bucket.storage_logs_bucket', 'id'));
    expect(resource(prod, 'aws_s3_bucket_server_side_encryption_configuration', 'storage_logs_encryption').rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
  });

  test('the task role may use only the artifacts prefix of that bucket', () => {
    const doc = policy(resource(prod, 'aws_iam_role_policy', 'mlflow_task_policy').policy);
    const resources = doc.Statement.flatMap((s: Json) => [s.Resource].flat());
    expect(resources).toEqual([
      '${aws_s3_bucket.storage_artifacts_bucket.arn}',
      '${aws_s3_bucket.storage_artifacts_bucket.arn}/mlflow-artifacts/*',
      '${aws_kms_key.encryption_key.arn}',
    ]);
    expect(doc.Statement[0].Condition).toEqual({ StringLike: { 's3:prefix': ['mlflow-artifacts/', 'mlflow-artifacts/*'] } });
    expect(resource(prod, 'aws_iam_role_policy', 'mlflow_task_policy').role).toBe(ref('aws_iam_role.mlflow_task_role', 'id'));
  });
});

describe('registry and image', () => {
  test('ECR: immutable tags, scan on push, KMS, lifecycle policy', () => {
    expect(resource(prod, 'aws_ecr_repository', 'registry_repository')).toMatchObject({
      name: 'fraud-scoring/mlflow',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: ref('aws_kms_key.encryption_key', 'arn') }],
    });
    const lifecycle = resource(prod, 'aws_ecr_lifecycle_policy', 'registry_lifecycle');
    expect(lifecycle.repository).toBe(ref('aws_ecr_repository.registry_repository', 'name'));
    expect(JSON.parse(lifecycle.policy).rules.map((r: Json) => r.selection.tagStatus)).toEqual(['untagged', 'any']);
  });

  test('the task runs the image from that repository, never python:3.11-slim with pip install', () => {
    const c = containers(prod)[0];
    expect(c.image).toBe('${aws_ecr_repository.registry_repository.repository_url}:mlflow-2.18.0');
    expect(JSON.stringify(prod)).not.toMatch(/python:3\.11-slim|pip install/);
    expect(c.command).toBeUndefined();
  });

  test('a digest pins the image by digest', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const s = withConfig((c) => ({ ...c, registry: { ...c.registry, image: { digest } } }));
    expect(containers(s)[0].image).toBe(`\${aws_ecr_repository.registry_repository.repository_url}@${digest}`);
  });
});

describe('ECS service', () => {
  const c = containers(prod)[0];

  test('cluster with container insights; log group with 365-day retention, KMS-encrypted', () => {
    expect(resource(prod, 'aws_ecs_cluster', 'mlflow_cluster')).toMatchObject({ name: 'fraud-scoring-cluster', setting: [{ name: 'containerInsights', value: 'enabled' }] });
    expect(resource(prod, 'aws_cloudwatch_log_group', 'mlflow_logs')).toMatchObject({ name: '/ecs/fraud-scoring-mlflow', retention_in_days: 365, kms_key_id: ref('aws_kms_key.encryption_key', 'arn') });
    expect(c.logConfiguration.options['awslogs-group']).toBe(ref('aws_cloudwatch_log_group.mlflow_logs', 'name'));
  });

  test('the execution role reads only this repository, this log group and the DB secret', () => {
    const doc = policy(resource(prod, 'aws_iam_role_policy', 'mlflow_execution_policy').policy);
    const byAction = Object.fromEntries(doc.Statement.map((s: Json) => [s.Sid, s.Resource]));
    expect(byAction).toEqual({
      EcrLogin: '*',
      PullMlflowImage: ref('aws_ecr_repository.registry_repository', 'arn'),
      WriteLogs: '${aws_cloudwatch_log_group.mlflow_logs.arn}:*',
      ReadDatabaseSecret: ref('aws_secretsmanager_secret.database_secret', 'arn'),
      DecryptWithStackKey: ref('aws_kms_key.encryption_key', 'arn'),
    });
    const ecrLogin = doc.Statement.find((s: Json) => s.Sid === 'EcrLogin');
    expect(ecrLogin.Action).toBe('ecr:GetAuthorizationToken');
  });

  test('the DB password arrives through ECS secrets, never in the environment', () => {
    expect(c.secrets).toEqual([{ name: 'MLFLOW_DB_PASSWORD', valueFrom: '${aws_secretsmanager_secret.database_secret.arn}:password::' }]);
    expect(c.environment.map((e: Json) => e.name)).not.toContain('MLFLOW_DB_PASSWORD');
    expect(JSON.stringify(c.environment)).not.toMatch(/random_password/);
  });

  test('the container connects with sslmode=require to the RDS address', () => {
    expect(envOf(c)).toMatchObject({ [IMAGE_ENV.dbSslMode]: 'require', [IMAGE_ENV.dbHost]: ref('aws_db_instance.database_instance', 'address'), [IMAGE_ENV.dbPort]: '5432' });
  });

  test('health check on / with Python (slim images have no curl), non-root, read-only root filesystem', () => {
    expect(c.healthCheck.command).toEqual(HEALTH_CHECK_COMMAND);
    expect(c.healthCheck.command.join(' ')).toContain("http://127.0.0.1:5000/'");
    expect(c.healthCheck.command.join(' ')).not.toMatch(/curl|\/health/);
    expect(c.user).toBe(IMAGE_USER);
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(c.privileged).toBe(false);
  });

  test('task definition: Fargate sizes, roles, platform', () => {
    expect(resource(prod, 'aws_ecs_task_definition', 'mlflow_task')).toMatchObject({
      family: 'fraud-scoring-mlflow',
      cpu: '1024',
      memory: '2048',
      network_mode: 'awsvpc',
      requires_compatibilities: ['FARGATE'],
      execution_role_arn: ref('aws_iam_role.mlflow_execution_role', 'arn'),
      task_role_arn: ref('aws_iam_role.mlflow_task_role', 'arn'),
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
    });
  });

  test('service: private subnets, desired count 2, circuit breaker with rollback, grace period, behind the target group', () => {
    const svc = resource(prod, 'aws_ecs_service', 'mlflow_service');
    expect(svc).toMatchObject({
      name: 'fraud-scoring-mlflow',
      cluster: ref('aws_ecs_cluster.mlflow_cluster', 'id'),
      task_definition: ref('aws_ecs_task_definition.mlflow_task', 'arn'),
      desired_count: 2,
      launch_type: 'FARGATE',
      health_check_grace_period_seconds: 120,
      deployment_circuit_breaker: { enable: true, rollback: true },
      network_configuration: {
        subnets: [ref('aws_subnet.network_private_us_east_1a', 'id'), ref('aws_subnet.network_private_us_east_1b', 'id')],
        assign_public_ip: false,
      },
    });
    expect(svc.network_configuration.security_groups[0]).toBe(ref('aws_security_group.security_tasks', 'id'));
    expect(svc.load_balancer[0]).toEqual({ target_group_arn: ref('aws_lb_target_group.edge_target_group', 'arn'), container_name: 'mlflow', container_port: 5000 });
    expect(svc.depends_on).toEqual(expect.arrayContaining(['aws_lb_listener.edge_https']));
  });

  test('a one-off db-upgrade task definition runs the same image with the same secret', () => {
    const [u] = containers(prod, 'mlflow_db_upgrade_task');
    expect(resource(prod, 'aws_ecs_task_definition', 'mlflow_db_upgrade_task').family).toBe('fraud-scoring-mlflow-db-upgrade');
    expect(u.command).toEqual(['db-upgrade']);
    expect(u.image).toBe(c.image);
    expect(u.secrets).toEqual(c.secrets);
    expect(u.portMappings).toBeUndefined();
  });
});

describe('edge', () => {
  test('internet-facing ALB in the public subnets, dropping invalid headers, protected, logging to the log bucket', () => {
    expect(resource(prod, 'aws_lb', 'edge_alb')).toMatchObject({
      name: 'fraud-scoring-alb',
      internal: false,
      load_balancer_type: 'application',
      subnets: [ref('aws_subnet.network_public_us_east_1a', 'id'), ref('aws_subnet.network_public_us_east_1b', 'id')],
      security_groups: [ref('aws_security_group.security_alb', 'id')],
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      access_logs: { bucket: ref('aws_s3_bucket.storage_logs_bucket', 'id'), prefix: 'alb', enabled: true },
    });
    expect(resource(stag, 'aws_lb', 'edge_alb').enable_deletion_protection).toBe(false);
  });

  test('target group: port 5000, ip targets, health check on /', () => {
    expect(resource(prod, 'aws_lb_target_group', 'edge_target_group')).toMatchObject({
      name: 'fraud-scoring-mlflow-tg',
      port: 5000,
      protocol: 'HTTP',
      target_type: 'ip',
      vpc_id: ref('aws_vpc.network_vpc', 'id'),
      health_check: { path: '/', matcher: '200' },
    });
  });

  test('port 80 only redirects to 443 with HTTP 301', () => {
    expect(resource(prod, 'aws_lb_listener', 'edge_http')).toMatchObject({
      load_balancer_arn: ref('aws_lb.edge_alb', 'arn'),
      port: 80,
      protocol: 'HTTP',
      default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
    });
  });

  test('port 443: TLS 1.2+ policy, the validated ACM certificate, authenticate then forward to the target group', () => {
    const https = resource(prod, 'aws_lb_listener', 'edge_https');
    expect(https).toMatchObject({ port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', load_balancer_arn: ref('aws_lb.edge_alb', 'arn') });
    expect(https.certificate_arn).toBe(ref('aws_acm_certificate_validation.edge_certificate_validated', 'certificate_arn'));
    const [auth, forward] = [...https.default_action].sort((a: Json, b: Json) => a.order - b.order);
    expect(auth.type).toBe('authenticate-cognito');
    expect(auth.authenticate_cognito).toMatchObject({
      user_pool_arn: ref('aws_cognito_user_pool.edge_user_pool', 'arn'),
      user_pool_client_id: ref('aws_cognito_user_pool_client.edge_user_pool_client', 'id'),
      user_pool_domain: ref('aws_cognito_user_pool_domain.edge_user_pool_domain', 'domain'),
      on_unauthenticated_request: 'authenticate',
    });
    expect(forward).toMatchObject({ type: 'forward', target_group_arn: ref('aws_lb_target_group.edge_target_group', 'arn') });
    expect(auth.order).toBeLessThan(forward.order);
  });

  test('ACM certificate for the hostname, DNS-validated through Route53', () => {
    expect(resource(prod, 'aws_acm_certificate', 'edge_certificate')).toMatchObject({ domain_name: 'mlflow.example.com', validation_method: 'DNS' });
    const records = resource(prod, 'aws_route53_record', 'edge_certificate_validation');
    expect(records.zone_id).toBe('Z0123456789ABCDEFGHIJ');
    expect(records.for_each).toContain('aws_acm_certificate.edge_certificate.domain_validation_options');
    expect(resource(prod, 'aws_acm_certificate_validation', 'edge_certificate_validated').validation_record_fqdns).toContain('aws_route53_record.edge_certificate_validation');
  });

  test('an existing certificate ARN is used as is, with no ACM resources', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/0b0c6a8e-6a43-4c1e-9b59-2f6f5c3d9a10';
    const s = withConfig((c) => ({ ...c, edge: { ...c.edge, certificate: { mode: 'existing', arn } } }));
    expect(resource(s, 'aws_lb_listener', 'edge_https').certificate_arn).toBe(arn);
    expect(resourcesOfType(s, 'aws_acm_certificate').edge_certificate).toBeUndefined();
    expect(resourcesOfType(s, 'aws_acm_certificate_validation').edge_certificate_validated).toBeUndefined();
  });

  test('Cognito: admin-created users only, code flow, callback on the hostname, secret generated', () => {
    expect(resource(prod, 'aws_cognito_user_pool', 'edge_user_pool')).toMatchObject({ deletion_protection: 'ACTIVE', admin_create_user_config: { allow_admin_create_user_only: true } });
    expect(resource(prod, 'aws_cognito_user_pool_client', 'edge_user_pool_client')).toMatchObject({
      generate_secret: true,
      allowed_oauth_flows: ['code'],
      callback_urls: ['https://mlflow.example.com/oauth2/idpresponse'],
      prevent_user_existence_errors: 'ENABLED',
    });
  });

  test('external OIDC: the client secret is a sensitive variable, never a literal', () => {
    const auth = resource(stag, 'aws_lb_listener', 'edge_https').default_action.find((a: Json) => a.type === 'authenticate-oidc');
    expect(auth.authenticate_oidc).toMatchObject({
      issuer: 'https://login.example.com',
      client_id: 'mlflow-staging',
      client_secret: '${var.oidc_client_secret}',
      on_unauthenticated_request: 'authenticate',
    });
    expect(stag.variable.oidc_client_secret).toMatchObject({ sensitive: true, type: 'string', nullable: false });
    expect(resourcesOfType(stag, 'aws_cognito_user_pool')).toEqual({});
  });

  test('Route53 alias mlflow.<domain> to the ALB', () => {
    expect(resource(prod, 'aws_route53_record', 'edge_alias')).toMatchObject({
      name: 'mlflow.example.com',
      type: 'A',
      zone_id: 'Z0123456789ABCDEFGHIJ',
      alias: { name: ref('aws_lb.edge_alb', 'dns_name'), zone_id: ref('aws_lb.edge_alb', 'zone_id'), evaluate_target_health: true },
    });
  });
});

describe('encryption key', () => {
  test('rotation on, 30-day deletion window, no kms:* in the key policy', () => {
    const key = resource(prod, 'aws_kms_key', 'encryption_key');
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const actions = policy(key.policy).Statement.flatMap((s: Json) => [s.Action].flat());
    expect(actions).not.toContain('kms:*');
    expect(policy(key.policy).Statement.map((s: Json) => s.Sid)).toEqual(expect.arrayContaining(['CloudWatchLogs', 'CloudWatchAlarmsToSns']));
  });
});

describe('outputs', () => {
  test('URL, ECR repository URL, bucket, DB endpoint, secret ARN, cluster and service names', () => {
    expect(prod.output).toMatchObject({
      url: { value: 'https://mlflow.example.com' },
      ecr_repository_url: { value: ref('aws_ecr_repository.registry_repository', 'repository_url') },
      artifacts_bucket: { value: ref('aws_s3_bucket.storage_artifacts_bucket', 'bucket') },
      db_endpoint: { value: ref('aws_db_instance.database_instance', 'endpoint') },
      db_secret_arn: { value: ref('aws_secretsmanager_secret.database_secret', 'arn') },
      cluster_name: { value: ref('aws_ecs_cluster.mlflow_cluster', 'name') },
      service_name: { value: ref('aws_ecs_service.mlflow_service', 'name') },
    });
  });
});

describe('adopting existing resources (imports/<env>.json)', () => {
  test('production imports the existing artifacts bucket and its encryption configuration', () => {
    expect(prod.import).toEqual([
      { id: 'fraud-scoring-models-123456789012', to: 'aws_s3_bucket.storage_artifacts_bucket' },
      { id: 'fraud-scoring-models-123456789012', to: 'aws_s3_bucket_server_side_encryption_configuration.storage_artifacts_encryption' },
    ]);
    expect(stag.import).toBeUndefined();
  });
});

describe('enhanced monitoring', () => {
  test('the database publishes OS metrics every minute through its own monitoring role', () => {
    expect(resource(prod, 'aws_db_instance', 'database_instance')).toMatchObject({
      monitoring_interval: 60,
      monitoring_role_arn: ref('aws_iam_role.database_monitoring_role', 'arn'),
    });
    const role = resource(prod, 'aws_iam_role', 'database_monitoring_role');
    expect(role.name).toBe('fraud-scoring-mlflow-db-rds-monitoring');
    expect(policy(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'monitoring.rds.amazonaws.com' });
    expect(resource(prod, 'aws_iam_role_policy_attachment', 'database_monitoring_policy')).toEqual(
      expect.objectContaining({ role: ref('aws_iam_role.database_monitoring_role', 'name'), policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole' }),
    );
  });
});
