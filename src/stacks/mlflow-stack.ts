/**
 * One MLflow environment as one cdktf stack (`mlflow-<env>`): providers, backend, and the
 * constructs for each AWS concern, wired together. Both runtimes share the key, network, database,
 * bucket, registry, WAF and alarms; the ECS runtime adds the authenticating ALB, the Fargate
 * service, autoscaling and the programmatic-client entrance, the App Runner runtime its service.
 */
import { Construct } from 'constructs';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformOutput, TerraformResource } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import {
  adminPasswordSecretName,
  alarmThresholds,
  apiAccessSettings,
  apiAutoscalingSettings,
  appRunnerValidationRecords,
  autoscalingSettings,
  wafSettings,
} from '../config/defaults';
import { AnyEnvironmentConfig, AppRunnerEnvironmentConfig, BaseEnvironmentConfig, EnvironmentConfig, isAppRunner } from '../config/types';
import { ReadableIdsStack } from './logical-ids';
import { ImportDefinitions, ImportsError } from '../config/imports';
import { Alarms, AlarmTargets } from '../constructs/alarms';
import { ApiAccess, ArtifactsClientPolicy } from '../constructs/api-access';
import { AppRunnerSecurityGroups, MlflowAppRunner } from '../constructs/apprunner';
import { ArtifactStorage, ALB_LOG_PREFIX } from '../constructs/artifacts';
import { AuroraDatabase, TrackingDatabase } from '../constructs/aurora';
import { ServiceAutoscaling } from '../constructs/autoscaling';
import { Database } from '../constructs/database';
import { Edge } from '../constructs/edge';
import { EncryptionKey } from '../constructs/encryption';
import { Network } from '../constructs/network';
import { ImageRepository } from '../constructs/registry';
import { SecurityGroups } from '../constructs/security-groups';
import { setProduction } from '../constructs/stack-context';
import { MlflowService, MlflowServiceProps } from '../constructs/service';
import { WebAcl } from '../constructs/waf';

type Outputs = Record<string, { value: unknown; description: string }>;

/**
 * The Terraform versions every stack accepts (`terraform.required_version`). 1.10 is the first with
 * the S3 backend's native locking (`use_lockfile`, which the S3 stacks use instead of a DynamoDB
 * table); saved plans with a `cloud` block need 1.6. An older terraform refuses the stack at init
 * instead of ignoring `use_lockfile` and running unlocked. CI and the tests use 1.11.4.
 */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.10, < 2.0';

export interface MlflowStackProps {
  /**
   * Existing AWS objects this stack adopts with `import` blocks (`imports/<env>.json`, read by the
   * app: stacks do no I/O). Every address must be one of the stack's; `environment` must be the
   * stack's.
   * @default no imports
   */
  readonly imports?: ImportDefinitions;
}

export class MlflowStack extends ReadableIdsStack {
  public readonly config: AnyEnvironmentConfig;
  public readonly encryption: EncryptionKey;
  public readonly network: Network;
  public readonly database: TrackingDatabase;
  public readonly storage: ArtifactStorage;
  public readonly registry: ImageRepository;
  public readonly waf: WebAcl;
  public readonly alarms: Alarms;
  /** `artifacts.mode: direct`: the managed policy clients attach. */
  public readonly artifactsClientPolicy?: ArtifactsClientPolicy;
  /** ECS runtime. */
  public readonly securityGroups?: SecurityGroups;
  public readonly edge?: Edge;
  public readonly service?: MlflowService;
  public readonly autoscaling?: ServiceAutoscaling;
  /** `apiAccess.mode` `internal-alb`: the basic-auth API service's autoscaling. */
  public readonly apiAutoscaling?: ServiceAutoscaling;
  public readonly apiAccess?: ApiAccess;
  /** App Runner runtime. */
  public readonly appRunnerSecurityGroups?: AppRunnerSecurityGroups;
  public readonly appRunner?: MlflowAppRunner;

  constructor(scope: Construct, config: AnyEnvironmentConfig, props: MlflowStackProps = {}) {
    super(scope, config.stackName);
    // First, while the stack has no children: tools over the tree (the policy pack) read it here.
    setProduction(this, config.production);
    this.config = config;

    new AwsProvider(this, 'aws', {
      region: config.region,
      allowedAccountIds: [config.accountId],
      defaultTags: [
        {
          tags: {
            Project: config.project,
            Environment: config.name,
            ManagedBy: 'terraform',
            ...(config.tags ?? {}),
          },
        },
      ],
    });
    new RandomProvider(this, 'random');
    this.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
    this.addOverride('terraform.required_providers.aws.version', config.awsProviderVersion);
    // The legacy state was written by random 3.x; any 3.x reads it.
    this.addOverride('terraform.required_providers.random.version', '>= 3.5, < 4.0');
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    this.configureBackend(config);

    const { accountId, region, namePrefix } = config;
    this.encryption = new EncryptionKey(this, 'encryption', { accountId, region, alias: `${namePrefix}-mlflow-${config.name}` });
    const kmsKeyArn = this.encryption.arn;
    this.network = new Network(this, 'network', { config: config.network, namePrefix, accountId, kmsKeyArn });
    const privateSubnetIds = this.network.privateSubnets.map((s) => s.id);
    const vpcId = this.network.vpc.id;
    const vpcCidr = config.network.vpcCidr;

    let databaseSecurityGroupId: string;
    if (isAppRunner(config)) {
      this.appRunnerSecurityGroups = new AppRunnerSecurityGroups(this, 'security', { vpcId, vpcCidr, names: config.edge.securityGroups });
      databaseSecurityGroupId = this.appRunnerSecurityGroups.database.id;
    } else {
      this.securityGroups = new SecurityGroups(this, 'security', { vpcId, vpcCidr, names: config.edge.securityGroups });
      databaseSecurityGroupId = this.securityGroups.database.id;
    }
    this.database = this.createDatabase(config, privateSubnetIds, databaseSecurityGroupId);
    this.storage = new ArtifactStorage(this, 'storage', { config: config.artifacts, region, accountId, encryptionKey: this.encryption });
    this.registry = new ImageRepository(this, 'registry', { config: config.registry, kmsKeyArn });
    const databaseRef = {
      host: this.database.address,
      port: this.database.port,
      name: config.database.name,
      username: config.database.username,
      secretArn: this.database.secretArn,
    };
    if ((config.artifacts.mode ?? 'proxied') === 'direct') {
      this.artifactsClientPolicy = new ArtifactsClientPolicy(this, 'artifacts-client', {
        name: `${namePrefix}-mlflow-artifacts-client`,
        storage: this.storage,
        prefix: config.artifacts.prefix,
      });
    }

    const outputs: Outputs = {};
    let protectedArn: string;
    let alarmTargets: Omit<AlarmTargets, 'database'>;
    if (isAppRunner(config)) {
      const ar = config.appRunner;
      this.appRunner = new MlflowAppRunner(this, 'apprunner', {
        config: ar,
        edge: config.edge,
        validationRecordCount: appRunnerValidationRecords(config.edge),
        accountId,
        encryptionKey: this.encryption,
        registry: this.registry,
        runtime: {
          database: databaseRef,
          artifacts: config.artifacts,
          bucketName: config.artifacts.bucketName,
          gunicornWorkers: ar.gunicornWorkers,
          gunicornTimeoutSeconds: ar.gunicornTimeoutSeconds,
          region,
        },
        storage: this.storage,
        privateSubnetIds,
        connectorSecurityGroupId: this.appRunnerSecurityGroups!.connector.id,
        adminPasswordSecretName: adminPasswordSecretName(config, ar.adminPasswordSecretName),
      });
      protectedArn = this.appRunner.service.arn;
      alarmTargets = { appRunner: { serviceName: ar.serviceName, serviceId: this.appRunner.service.serviceId } };
      Object.assign(outputs, this.appRunnerOutputs(config, this.appRunner));
    } else {
      const ecs = this.createEcsRuntime(config, privateSubnetIds, databaseRef, outputs);
      protectedArn = ecs.edge.loadBalancer.arn;
      alarmTargets = {
        loadBalancer: { arnSuffix: ecs.edge.loadBalancer.arnSuffix, targetGroupArnSuffix: ecs.edge.targetGroup.arnSuffix },
        ecs: { clusterName: config.service.clusterName, serviceName: config.service.serviceName },
        apiService:
          ecs.apiAutoscaling && ecs.service.apiServiceName && ecs.apiAccess
            ? {
                loadBalancer: { arnSuffix: ecs.apiAccess.loadBalancer.arnSuffix, targetGroupArnSuffix: ecs.apiAccess.targetGroup.arnSuffix },
                ecs: { clusterName: config.service.clusterName, serviceName: ecs.service.apiServiceName },
              }
            : undefined,
      };
      this.edge = ecs.edge;
      this.service = ecs.service;
      this.autoscaling = ecs.autoscaling;
      this.apiAccess = ecs.apiAccess;
      this.apiAutoscaling = ecs.apiAutoscaling;
    }

    this.waf = new WebAcl(this, 'waf', { name: `${namePrefix}-mlflow`, settings: wafSettings(config), kmsKeyArn, resourceArn: protectedArn });
    this.alarms = new Alarms(this, 'alarms', {
      name: `${namePrefix}-mlflow`,
      region,
      accountId,
      kmsKeyArn,
      emails: config.alarms?.emails ?? [],
      thresholds: alarmThresholds(config),
      targets: { ...alarmTargets, database: this.database.metricTarget },
    });
    if (props.imports) this.adoptExistingResources(props.imports);
    Object.assign(outputs, {
      waf_web_acl_arn: { value: this.waf.acl.arn, description: 'WAF web ACL in front of MLflow' },
      alarm_topic_arn: { value: this.alarms.topic.arn, description: 'SNS topic every alarm notifies' },
      dashboard_name: { value: this.alarms.dashboard.dashboardName, description: 'CloudWatch dashboard' },
      ...(this.artifactsClientPolicy
        ? { artifacts_client_policy_arn: { value: this.artifactsClientPolicy.policy.arn, description: 'Managed policy for clients that write artifacts directly to S3 (artifacts.mode direct)' } }
        : {}),
    });
    for (const id of Object.keys(outputs)) {
      new TerraformOutput(this, id, outputs[id]);
    }
  }

  /**
   * Existing AWS objects that no state knows (`imports/<env>.json`) are adopted with Terraform
   * `import` blocks through cdktf's `importFrom`, so the first apply takes them over instead of
   * failing to create them.
   */
  private adoptExistingResources(defs: ImportDefinitions): void {
    if (defs.environment !== this.config.name) {
      throw new ImportsError([`environment: is "${defs.environment}" but stack ${this.node.id} is for "${this.config.name}"`], `imports/${defs.environment}.json`);
    }
    const byAddress = new Map<string, TerraformResource>();
    for (const c of this.node.findAll()) {
      if (TerraformResource.isTerraformResource(c)) byAddress.set(`${c.terraformResourceType}.${this.getLogicalId(c)}`, c);
    }
    const missing = defs.imports.filter((d) => !byAddress.has(d.address));
    if (missing.length > 0) {
      throw new ImportsError(
        missing.map((d) => `${d.address} is not an address of stack ${this.node.id}`),
        `imports/${defs.environment}.json`,
      );
    }
    for (const d of defs.imports) byAddress.get(d.address)!.importFrom(d.id);
  }

  private createDatabase(config: BaseEnvironmentConfig, subnetIds: string[], securityGroupId: string): TrackingDatabase {
    const props = { config: config.database, accountId: config.accountId, subnetIds, securityGroupId, kmsKeyArn: this.encryption.arn };
    if (config.database.engine === 'aurora-postgresql') return new AuroraDatabase(this, 'database', props);
    const rds = new Database(this, 'database', props);
    return {
      address: rds.address,
      port: rds.port,
      secretArn: rds.secretArn,
      endpoint: rds.instance.endpoint,
      metricTarget: { kind: 'instance', identifier: config.database.identifier },
    };
  }

  /** The ECS runtime: authenticating ALB, Fargate service, autoscaling, programmatic access. */
  private createEcsRuntime(config: EnvironmentConfig, privateSubnetIds: string[], database: MlflowServiceProps['database'], outputs: Outputs) {
    const { region, accountId, namePrefix } = config;
    const kmsKeyArn = this.encryption.arn;
    const securityGroups = this.securityGroups!;
    const edge = new Edge(this, 'edge', {
      config: config.edge,
      region,
      vpcId: this.network.vpc.id,
      publicSubnetIds: this.network.publicSubnets.map((s) => s.id),
      securityGroupId: securityGroups.alb.id,
      accessLogs: this.storage.accessLogsTarget(ALB_LOG_PREFIX),
    });
    const api = apiAccessSettings(config);
    const apiScaling = apiAutoscalingSettings(config);
    const apiAccess =
      api.mode === 'none'
        ? undefined
        : new ApiAccess(this, 'api-access', {
            settings: api,
            namePrefix,
            vpcId: this.network.vpc.id,
            vpcCidr: config.network.vpcCidr,
            privateSubnetIds,
            kmsKeyArn,
            hostedZoneId: config.edge.hostedZoneId,
            edgeCertificate: { arn: edge.certificateArn, hostname: config.edge.hostname },
            deregistrationDelaySeconds: config.edge.deregistrationDelaySeconds,
            accessLogs: this.storage.accessLogsTarget(ALB_LOG_PREFIX),
            deletionProtection: config.edge.deletionProtection,
          });
    const service = new MlflowService(this, 'mlflow', {
      config: config.service,
      artifacts: config.artifacts,
      namePrefix,
      region,
      accountId,
      encryptionKey: this.encryption,
      registry: this.registry,
      database,
      storage: this.storage,
      bucketName: config.artifacts.bucketName,
      subnetIds: privateSubnetIds,
      securityGroupId: securityGroups.tasks.id,
      targetGroupArn: edge.targetGroup.arn,
      // API Gateway (IAM) fronts the internal ALB: the main service serves it. Internal ALB alone:
      // a separate service with MLflow's basic-auth app does (no unauthenticated entrance).
      additionalTargetGroupArns: apiAccess && !apiAccess.adminPasswordSecret ? [apiAccess.targetGroup.arn] : undefined,
      additionalSecurityGroupIds: apiAccess && !apiAccess.adminPasswordSecret ? [apiAccess.targetsSecurityGroup.id] : undefined,
      authenticatedApi:
        apiAccess?.adminPasswordSecret !== undefined
          ? {
              targetGroupArn: apiAccess.targetGroup.arn,
              securityGroupIds: [apiAccess.targetsSecurityGroup.id],
              desiredCount: api.desiredCount,
              autoscaled: apiScaling !== undefined,
              adminPasswordSecretArn: apiAccess.adminPasswordSecret.arn,
              dependsOn: [apiAccess.listener],
            }
          : undefined,
      autoscaled: config.service.autoscaling !== undefined,
      dependsOn: [edge.httpsListener, edge.httpListener, ...(apiAccess?.adminPasswordSecret === undefined && apiAccess ? [apiAccess.listener] : [])],
    });
    const autoscaling = config.service.autoscaling
      ? new ServiceAutoscaling(this, 'autoscaling', {
          settings: autoscalingSettings(config.service.autoscaling),
          clusterName: service.cluster.name,
          serviceName: service.service.name,
          namePrefix: `${namePrefix}-mlflow`,
          requestCountResourceLabel: `${edge.loadBalancer.arnSuffix}/${edge.targetGroup.arnSuffix}`,
        })
      : undefined;
    // `internal-alb`: the basic-auth API service scales on its own, from its own settings.
    const apiAutoscaling =
      apiScaling && service.apiService && apiAccess
        ? new ServiceAutoscaling(this, 'api-autoscaling', {
            settings: apiScaling,
            clusterName: service.cluster.name,
            serviceName: service.apiService.name,
            namePrefix: `${namePrefix}-mlflow-api`,
            requestCountResourceLabel: `${apiAccess.loadBalancer.arnSuffix}/${apiAccess.targetGroup.arnSuffix}`,
          })
        : undefined;

    Object.assign(outputs, {
      url: { value: edge.url, description: 'MLflow tracking URL (MLFLOW_TRACKING_URI)' },
      alb_dns_name: { value: edge.loadBalancer.dnsName, description: 'ALB DNS name (the Route53 alias target)' },
      ...this.artifactAndDatabaseOutputs(),
      cluster_name: { value: service.cluster.name, description: 'ECS cluster' },
      service_name: { value: service.service.name, description: 'ECS service' },
      db_upgrade_task_definition: { value: service.dbUpgradeTaskDefinition.family, description: 'Task definition family for `mlflow db upgrade`' },
      private_subnet_ids: { value: privateSubnetIds, description: 'Private subnets (for run-task)' },
      tasks_security_group_id: { value: securityGroups.tasks.id, description: 'Tasks security group (for run-task)' },
      ...(apiAccess
        ? {
            api_url: { value: apiAccess.url, description: `MLFLOW_TRACKING_URI for programmatic clients (${api.mode})` },
            ...(service.apiService && apiAccess.adminPasswordSecret
              ? {
                  api_service_name: { value: service.apiService.name, description: 'ECS service behind the internal API ALB (MLflow basic-auth)' },
                  api_admin_password_secret_arn: { value: apiAccess.adminPasswordSecret.arn, description: 'Basic-auth admin password of the API service (create MLflow users with it)' },
                }
              : {}),
            ...(apiAccess.invokePolicy ? { api_invoke_policy_arn: { value: apiAccess.invokePolicy.arn, description: 'Managed policy (execute-api:Invoke on /api/* and /ajax-api/*) for MLflow clients' } } : {}),
          }
        : {}),
    });
    return { edge, service, autoscaling, apiAccess, apiAutoscaling, apiScaling };
  }

  private artifactAndDatabaseOutputs(): Outputs {
    return {
      ecr_repository_url: { value: this.registry.repository.repositoryUrl, description: 'ECR repository docker/build-push pushes to' },
      image: { value: this.registry.imageUri, description: 'Image the service runs' },
      artifacts_bucket: { value: this.storage.artifacts.bucket.bucket, description: 'The artifacts bucket' },
      artifacts_uri: { value: `s3://${this.config.artifacts.bucketName}/${this.config.artifacts.prefix}`, description: 'Artifact root' },
      db_endpoint: { value: this.database.endpoint, description: 'Database endpoint (host:port)' },
      db_secret_arn: { value: this.database.secretArn, description: 'Secrets Manager secret with the database password' },
    };
  }

  private appRunnerOutputs(config: AppRunnerEnvironmentConfig, appRunner: MlflowAppRunner): Outputs {
    return {
      url: { value: appRunner.url, description: 'MLflow tracking URL (MLFLOW_TRACKING_URI)' },
      apprunner_service_url: { value: appRunner.service.serviceUrl, description: 'App Runner default domain (the CNAME target)' },
      apprunner_service_arn: { value: appRunner.service.arn, description: 'App Runner service' },
      ...this.artifactAndDatabaseOutputs(),
      private_subnet_ids: { value: this.network.privateSubnets.map((s) => s.id), description: 'Private subnets' },
      ...(appRunner.adminPasswordSecret
        ? { admin_password_secret_arn: { value: appRunner.adminPasswordSecret.arn, description: `Basic-auth admin password (protection ${config.appRunner.protection})` } }
        : {}),
    };
  }

  private configureBackend(config: BaseEnvironmentConfig): void {
    const backend = config.backend;
    switch (backend.type) {
      case 'local':
        new LocalBackend(this, { path: backend.path });
        break;
      case 's3':
        new S3Backend(this, {
          bucket: backend.bucket,
          key: backend.key,
          region: backend.region,
          encrypt: true,
          dynamodbTable: backend.dynamodbTable,
        });
        // cdktf 0.20's S3Backend predates Terraform 1.10's S3-native locking.
        this.addOverride('terraform.backend.s3.use_lockfile', backend.useLockfile ?? true);
        break;
      case 'cloud':
        new CloudBackend(this, {
          organization: backend.organization,
          hostname: backend.hostname,
          workspaces: new NamedCloudWorkspace(backend.workspace),
        });
        break;
    }
  }
}
