/** Alarms + dashboard, Aurora Serverless v2, and the App Runner variant (issue 3). */
import { apprunnerStaging } from '../../src/config/environments/apprunner-staging';
import { production } from '../../src/config/environments/production';
import { ALARM_THRESHOLD_DEFAULTS } from '../../src/config/defaults';
import { AppRunnerEnvironmentConfig, EnvironmentConfig } from '../../src/config/types';
import { IMAGE_ENV } from '../../src/image/contract';
import { Json, policy, ref, resource, resourcesOfType } from '../helpers/synth';
import { synthAny } from './helpers';

const prod = synthAny(production);
const ar = synthAny(apprunnerStaging);
const topic = ref('aws_sns_topic.alarms_topic', 'arn');

describe('alarms', () => {
  test('ECS stack: the ten required alarms on the right metrics, each notifying the topic on ALARM and OK', () => {
    const all = resourcesOfType(prod, 'aws_cloudwatch_metric_alarm');
    // The API service's own set (`alarms_api_*`) is covered in api-service-operations.test.ts.
    const alarms = Object.fromEntries(Object.entries(all).filter(([name]) => !name.startsWith('alarms_api_')));
    const metrics = Object.values(alarms).map((a) => `${a.namespace}/${a.metric_name}`).sort();
    expect(metrics).toEqual([
      'AWS/ApplicationELB/HTTPCode_ELB_5XX_Count',
      'AWS/ApplicationELB/HTTPCode_Target_5XX_Count',
      'AWS/ApplicationELB/TargetResponseTime',
      'AWS/ApplicationELB/UnHealthyHostCount',
      'AWS/ECS/CPUUtilization',
      'AWS/ECS/MemoryUtilization',
      'AWS/RDS/CPUUtilization',
      'AWS/RDS/DatabaseConnections',
      'AWS/RDS/FreeStorageSpace',
      'AWS/RDS/FreeableMemory',
    ]);
    for (const a of Object.values(alarms)) {
      expect(a.alarm_actions).toEqual([topic]);
      expect(a.ok_actions).toEqual([topic]);
      expect(a.actions_enabled).toBe(true);
      expect(['missing', 'notBreaching', 'breaching']).toContain(a.treat_missing_data);
    }
  });

  test('dimensions name this stack’s ALB, target group, service and database; thresholds are the documented defaults', () => {
    const a = (id: string) => resource(prod, 'aws_cloudwatch_metric_alarm', `alarms_${id}`);
    expect(a('alb_target_5xx').dimensions).toEqual({ LoadBalancer: ref('aws_lb.edge_alb', 'arn_suffix'), TargetGroup: ref('aws_lb_target_group.edge_target_group', 'arn_suffix') });
    expect(a('alb_target_5xx')).toMatchObject({ statistic: 'Sum', threshold: ALARM_THRESHOLD_DEFAULTS.target5xxPer5Minutes, treat_missing_data: 'notBreaching' });
    expect(a('alb_unhealthy_hosts')).toMatchObject({ threshold: 1, treat_missing_data: 'breaching' });
    expect(a('alb_response_time')).toMatchObject({ extended_statistic: 'p95', threshold: 3 });
    expect(a('alb_response_time').statistic).toBeUndefined();
    expect(a('ecs_cpu').dimensions).toEqual({ ClusterName: 'fraud-scoring-cluster', ServiceName: 'fraud-scoring-mlflow' });
    expect(a('db_free_storage')).toMatchObject({ dimensions: { DBInstanceIdentifier: 'fraud-scoring-mlflow-db' }, comparison_operator: 'LessThanThreshold', threshold: 5 * 1024 ** 3 });
    expect(a('db_freeable_memory').threshold).toBe(256 * 1024 ** 2);
  });

  test('thresholds come from config', () => {
    const stack = synthAny({ ...production, alarms: { thresholds: { dbCpuPercent: 65, target5xxPer5Minutes: 25 } } });
    expect(resource(stack, 'aws_cloudwatch_metric_alarm', 'alarms_db_cpu').threshold).toBe(65);
    expect(resource(stack, 'aws_cloudwatch_metric_alarm', 'alarms_alb_target_5xx').threshold).toBe(25);
  });

  test('topic: KMS-encrypted with the stack key, CloudWatch may publish, e-mail subscriptions from config', () => {
    expect(resource(prod, 'aws_sns_topic', 'alarms_topic')).toMatchObject({ name: 'fraud-scoring-mlflow-alarms', kms_master_key_id: ref('aws_kms_key.encryption_key', 'arn') });
    const doc = policy(resource(prod, 'aws_sns_topic_policy', 'alarms_topic_policy').policy);
    expect(doc.Statement[0]).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: topic, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } });
    const subs = Object.values(resourcesOfType(prod, 'aws_sns_topic_subscription'));
    expect(subs).toEqual([expect.objectContaining({ topic_arn: topic, protocol: 'email', endpoint: 'ml-platform-oncall@example.com' })]);
    expect(resourcesOfType(ar, 'aws_sns_topic_subscription')).toEqual({});
  });

  test('dashboard: literal JSON with requests, latency, 5xx, task count and database widgets', () => {
    const body = JSON.parse(resource(prod, 'aws_cloudwatch_dashboard', 'alarms_dashboard').dashboard_body);
    const titles = body.widgets.map((w: Json) => w.properties.title);
    expect(titles).toEqual([
      'Requests',
      'Target response time (s)',
      '5xx',
      'Running tasks',
      'Service CPU and memory (%)',
      'API requests (internal ALB)',
      'API target response time (s)',
      'API 5xx',
      'API tasks: running and desired',
      'API service CPU and memory (%)',
      'Database CPU (%) and connections',
      'Database free storage and memory (bytes)',
    ]);
    const metricNames = body.widgets.flatMap((w: Json) => w.properties.metrics.map((m: Json[]) => m[1]));
    for (const m of ['RequestCount', 'TargetResponseTime', 'HTTPCode_Target_5XX_Count', 'RunningTaskCount', 'CPUUtilization', 'DatabaseConnections', 'FreeStorageSpace', 'FreeableMemory']) expect(metricNames).toContain(m);
    // Two widgets per row, six units high: no two overlap.
    expect(new Set(body.widgets.map((w: Json) => `${w.x},${w.y}`)).size).toBe(body.widgets.length);
  });

  test('dashboard: the API service\'s widgets read its own load balancer and service, with its alarms\' metrics', () => {
    const body = JSON.parse(resource(prod, 'aws_cloudwatch_dashboard', 'alarms_dashboard').dashboard_body);
    const metrics = (title: string): Json[][] => body.widgets.find((w: Json) => w.properties.title === title).properties.metrics;
    const apiLb = ref('aws_lb.api_access_alb', 'arn_suffix');
    const apiService = resource(prod, 'aws_cloudwatch_metric_alarm', 'alarms_api_ecs_cpu').dimensions;
    const mainService = resource(prod, 'aws_cloudwatch_metric_alarm', 'alarms_ecs_cpu').dimensions;
    expect(apiService.ServiceName).not.toBe(mainService.ServiceName);
    expect(metrics('API requests (internal ALB)')).toEqual([['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', apiLb, { stat: 'Sum' }]]);
    const latency = resource(prod, 'aws_cloudwatch_metric_alarm', 'alarms_api_alb_response_time');
    expect(metrics('API target response time (s)').map((m) => m.slice(0, -1))).toEqual(
      Array(3).fill(['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', latency.dimensions.LoadBalancer, 'TargetGroup', latency.dimensions.TargetGroup]),
    );
    expect(latency.dimensions.LoadBalancer).toBe(apiLb);
    expect(metrics('API 5xx')[0][1]).toBe(resource(prod, 'aws_cloudwatch_metric_alarm', 'alarms_api_alb_target_5xx').metric_name);
    // The running-tasks alarm's two inputs, with its statistics.
    expect(metrics('API tasks: running and desired')).toEqual([
      ['ECS/ContainerInsights', 'RunningTaskCount', 'ClusterName', apiService.ClusterName, 'ServiceName', apiService.ServiceName, { stat: 'Minimum' }],
      ['ECS/ContainerInsights', 'DesiredTaskCount', 'ClusterName', apiService.ClusterName, 'ServiceName', apiService.ServiceName, { stat: 'Maximum' }],
    ]);
    expect(metrics('API service CPU and memory (%)')).toEqual([
      ['AWS/ECS', 'CPUUtilization', 'ClusterName', apiService.ClusterName, 'ServiceName', apiService.ServiceName, { stat: 'Average' }],
      ['AWS/ECS', 'MemoryUtilization', 'ClusterName', apiService.ClusterName, 'ServiceName', apiService.ServiceName, { stat: 'Average' }],
    ]);
    // No API service, no API widgets.
    const arBody = JSON.parse(resource(ar, 'aws_cloudwatch_dashboard', 'alarms_dashboard').dashboard_body);
    expect(arBody.widgets.filter((w: Json) => w.properties.title.startsWith('API'))).toEqual([]);
  });

  test('App Runner stack: App Runner and Aurora cluster metrics, no ALB/ECS alarms', () => {
    const alarms = Object.values(resourcesOfType(ar, 'aws_cloudwatch_metric_alarm'));
    expect(alarms.map((a) => `${a.namespace}/${a.metric_name}`).sort()).toEqual([
      'AWS/AppRunner/5xxStatusResponses',
      'AWS/AppRunner/RequestLatency',
      'AWS/RDS/CPUUtilization',
      'AWS/RDS/DatabaseConnections',
      'AWS/RDS/FreeLocalStorage',
      'AWS/RDS/FreeableMemory',
    ]);
    for (const a of alarms) expect(a.alarm_actions).toEqual([topic]);
    expect(resource(ar, 'aws_cloudwatch_metric_alarm', 'alarms_apprunner_5xx').dimensions).toEqual({ ServiceName: 'fraud-scoring-apprunner-staging-mlflow', ServiceID: ref('aws_apprunner_service.apprunner_service', 'service_id') });
    expect(resource(ar, 'aws_cloudwatch_metric_alarm', 'alarms_db_cpu').dimensions).toEqual({ DBClusterIdentifier: 'fraud-scoring-apprunner-staging-mlflow-db' });
  });
});

describe('Aurora PostgreSQL Serverless v2', () => {
  test('cluster: serverless v2 scaling, SSL forced by its cluster parameter group, encrypted, the stack-owned password (App Runner), logs, backups', () => {
    const cluster = resource(ar, 'aws_rds_cluster', 'database_cluster');
    const key = ref('aws_kms_key.encryption_key', 'arn');
    expect(cluster).toMatchObject({
      engine: 'aurora-postgresql',
      engine_mode: 'provisioned',
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 4 },
      db_cluster_parameter_group_name: ref('aws_rds_cluster_parameter_group.database_cluster_parameters', 'name'),
      storage_encrypted: true,
      kms_key_id: key,
      master_password: ref('random_password.database_password', 'result'),
      enabled_cloudwatch_logs_exports: ['postgresql'],
      backup_retention_period: 7,
      vpc_security_group_ids: [ref('aws_security_group.security_database', 'id')],
      iam_database_authentication_enabled: true,
      copy_tags_to_snapshot: true,
    });
    const params = resource(ar, 'aws_rds_cluster_parameter_group', 'database_cluster_parameters');
    expect(params.family).toBe('aurora-postgresql16');
    expect(params.parameter).toContainEqual({ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' });
    expect(cluster.manage_master_user_password).toBeUndefined();
    expect(resource(ar, 'aws_secretsmanager_secret', 'database_secret')).toMatchObject({ kms_key_id: key, name: 'fraud-scoring-apprunner-staging/mlflow/db-credentials' });
    expect(resourcesOfType(ar, 'aws_db_instance')).toEqual({});
  });

  test('instances: db.serverless with Performance Insights (KMS) and minor upgrades, never public', () => {
    const instances = Object.values(resourcesOfType(ar, 'aws_rds_cluster_instance'));
    expect(instances).toHaveLength(1);
    expect(instances[0]).toMatchObject({
      cluster_identifier: ref('aws_rds_cluster.database_cluster', 'id'),
      instance_class: 'db.serverless',
      performance_insights_enabled: true,
      performance_insights_kms_key_id: ref('aws_kms_key.encryption_key', 'arn'),
      auto_minor_version_upgrade: true,
      publicly_accessible: false,
    });
  });

  test('production-shaped Aurora: deletion protection, final snapshot, instances spread for failover', () => {
    const config: EnvironmentConfig = {
      ...production,
      database: { ...production.database, engine: 'aurora-postgresql', engineVersion: '15', multiAz: false, passwordMode: 'rds-managed', storageKms: 'customer-managed', aurora: { minCapacityAcu: 1, maxCapacityAcu: 16, instances: 2 } },
    };
    const stack = synthAny(config);
    expect(resource(stack, 'aws_rds_cluster', 'database_cluster')).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'fraud-scoring-mlflow-db-final',
      manage_master_user_password: true,
      master_user_secret_kms_key_id: ref('aws_kms_key.encryption_key', 'arn'),
    });
    // RDS-managed master password: no random_password for the database (the API service's basic-auth admin password is the only one).
    expect(Object.keys(resourcesOfType(stack, 'random_password'))).toEqual(['api_access_admin_password']);
    expect(Object.keys(resourcesOfType(stack, 'aws_rds_cluster_instance')).sort()).toEqual(['database_instance_1', 'database_instance_2']);
    // The runtime is wired the same way: host = writer endpoint, password from the cluster's secret.
    const container = JSON.parse(resource(stack, 'aws_ecs_task_definition', 'mlflow_task').container_definitions)[0];
    expect(container.environment).toContainEqual({ name: IMAGE_ENV.dbHost, value: ref('aws_rds_cluster.database_cluster', 'endpoint') });
    expect(container.secrets).toContainEqual({ name: IMAGE_ENV.dbPassword, valueFrom: `${ref('aws_rds_cluster.database_cluster', 'master_user_secret[0].secret_arn')}:password::` });
  });
});

describe('App Runner variant', () => {
  const service = resource(ar, 'aws_apprunner_service', 'apprunner_service');
  const image = service.source_configuration.image_repository;

  test('runs the same ECR image with the shared image contract; secrets from Secrets Manager; basic-auth on', () => {
    expect(image).toMatchObject({ image_repository_type: 'ECR', image_identifier: `${ref('aws_ecr_repository.registry_repository', 'repository_url')}:mlflow-2.18.0` });
    expect(image.image_configuration.port).toBe('5000');
    const vars = image.image_configuration.runtime_environment_variables;
    expect(vars).toMatchObject({ [IMAGE_ENV.dbHost]: ref('aws_rds_cluster.database_cluster', 'endpoint'), [IMAGE_ENV.dbSslMode]: 'require', [IMAGE_ENV.artifactsMode]: 'direct', [IMAGE_ENV.authMode]: 'basic-auth', [IMAGE_ENV.gunicornTimeout]: '110' });
    expect(vars[IMAGE_ENV.dbPassword]).toBeUndefined();
    expect(image.image_configuration.runtime_environment_secrets).toEqual({
      [IMAGE_ENV.dbPassword]: `${ref('aws_secretsmanager_secret.database_secret', 'arn')}:password::`,
      [IMAGE_ENV.authAdminPassword]: ref('aws_secretsmanager_secret.apprunner_admin_secret', 'arn'),
    });
    expect(resource(ar, 'aws_secretsmanager_secret', 'apprunner_admin_secret')).toMatchObject({ name: 'fraud-scoring-apprunner-staging/mlflow/admin-password', kms_key_id: ref('aws_kms_key.encryption_key', 'arn') });
  });

  test('roles: access role pulls this repository only; instance role reads the secrets and the artifacts prefix', () => {
    expect(service.source_configuration.authentication_configuration.access_role_arn).toBe(ref('aws_iam_role.apprunner_access_role', 'arn'));
    expect(policy(resource(ar, 'aws_iam_role', 'apprunner_access_role').assume_role_policy).Statement[0].Principal).toEqual({ Service: 'build.apprunner.amazonaws.com' });
    const pull = policy(resource(ar, 'aws_iam_role_policy', 'apprunner_access_policy').policy).Statement.find((s: Json) => s.Sid === 'PullMlflowImage');
    expect(pull.Resource).toBe(ref('aws_ecr_repository.registry_repository', 'arn'));
    expect(service.instance_configuration).toMatchObject({ cpu: '1024', memory: '2048', instance_role_arn: ref('aws_iam_role.apprunner_instance_role', 'arn') });
    expect(policy(resource(ar, 'aws_iam_role', 'apprunner_instance_role').assume_role_policy).Statement[0].Principal).toEqual({ Service: 'tasks.apprunner.amazonaws.com' });
    const statements = policy(resource(ar, 'aws_iam_role_policy', 'apprunner_instance_policy').policy).Statement;
    expect(statements.find((s: Json) => s.Sid === 'ReadMlflowSecrets').Resource).toEqual([ref('aws_secretsmanager_secret.database_secret', 'arn'), ref('aws_secretsmanager_secret.apprunner_admin_secret', 'arn')]);
    expect(statements.find((s: Json) => s.Sid === 'ReadWriteArtifacts').Resource).toBe(`${ref('aws_s3_bucket.storage_artifacts_bucket', 'arn')}/mlflow-artifacts/*`);
  });

  test('VPC connector in the private subnets with egress type VPC; the database admits only the connector', () => {
    expect(resource(ar, 'aws_apprunner_vpc_connector', 'apprunner_vpc_connector')).toMatchObject({
      subnets: [ref('aws_subnet.network_private_us_east_1a', 'id'), ref('aws_subnet.network_private_us_east_1b', 'id')],
      security_groups: [ref('aws_security_group.security_connector', 'id')],
    });
    expect(service.network_configuration.egress_configuration).toEqual({ egress_type: 'VPC', vpc_connector_arn: ref('aws_apprunner_vpc_connector.apprunner_vpc_connector', 'arn') });
    expect(resource(ar, 'aws_security_group', 'security_database').ingress).toEqual([expect.objectContaining({ from_port: 5432, security_groups: [ref('aws_security_group.security_connector', 'id')] })]);
  });

  test('auto scaling configuration, HTTP health check on /health (basic-auth answers / with 401), encryption with the stack key', () => {
    expect(service.auto_scaling_configuration_arn).toBe(ref('aws_apprunner_auto_scaling_configuration_version.apprunner_auto_scaling', 'arn'));
    expect(resource(ar, 'aws_apprunner_auto_scaling_configuration_version', 'apprunner_auto_scaling')).toMatchObject({ min_size: 1, max_size: 3, max_concurrency: 50 });
    expect(service.health_check_configuration).toMatchObject({ protocol: 'HTTP', path: '/health' });
    expect(service.encryption_configuration).toEqual({ kms_key: ref('aws_kms_key.encryption_key', 'arn') });
  });

  test('custom domain: association, CNAME to its DNS target, and certificate validation records in Route53', () => {
    expect(resource(ar, 'aws_apprunner_custom_domain_association', 'apprunner_domain')).toMatchObject({ domain_name: 'mlflow-apprunner-staging.example.com', service_arn: ref('aws_apprunner_service.apprunner_service', 'arn'), enable_www_subdomain: false });
    expect(resource(ar, 'aws_route53_record', 'apprunner_domain_cname')).toMatchObject({ type: 'CNAME', records: [ref('aws_apprunner_custom_domain_association.apprunner_domain', 'dns_target')] });
    const validation = resource(ar, 'aws_route53_record', 'apprunner_certificate_validation');
    expect(validation.count).toBe(2);
    expect(validation.name).toContain('aws_apprunner_custom_domain_association.apprunner_domain.certificate_validation_records');
    expect(validation.name).toContain('count.index');
    expect(validation.zone_id).toBe('Z0123456789ABCDEFGHIJ');
  });

  test('shares network, bucket, registry and key constructs; has no ALB, ECS or Cognito', () => {
    for (const [type, name] of [['aws_vpc', 'network_vpc'], ['aws_s3_bucket', 'storage_artifacts_bucket'], ['aws_ecr_repository', 'registry_repository'], ['aws_kms_key', 'encryption_key']]) resource(ar, type, name);
    for (const type of ['aws_lb', 'aws_lb_listener', 'aws_ecs_service', 'aws_ecs_cluster', 'aws_cognito_user_pool']) expect(resourcesOfType(ar, type)).toEqual({});
    expect(ar.variable ?? {}).toEqual({});
  });

  test('waf-allow-list protection: the allow-list instead of basic-auth, MLFLOW_AUTH none', () => {
    const config: AppRunnerEnvironmentConfig = { ...apprunnerStaging, appRunner: { ...apprunnerStaging.appRunner, protection: 'waf-allow-list' }, waf: { allowListCidrs: ['203.0.113.0/24'] } };
    const stack = synthAny(config);
    const img = resource(stack, 'aws_apprunner_service', 'apprunner_service').source_configuration.image_repository.image_configuration;
    expect(img.runtime_environment_variables[IMAGE_ENV.authMode]).toBe('none');
    expect(Object.keys(img.runtime_environment_secrets)).toEqual([IMAGE_ENV.dbPassword]);
    expect(Object.keys(resourcesOfType(stack, 'aws_secretsmanager_secret'))).toEqual(['database_secret']); // no admin password secret
    expect(resource(stack, 'aws_wafv2_ip_set', 'waf_allow_list').addresses).toEqual(['203.0.113.0/24']);
    expect(resource(stack, 'aws_apprunner_service', 'apprunner_service').health_check_configuration.path).toBe('/');
  });
});
