/**
 * One MLflow environment as one cdktf stack (`mlflow-<env>`): providers, backend, and the
 * constructs for each AWS concern, wired together.
 */
import { Construct } from 'constructs';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { EnvironmentConfig } from '../config/types';
import { ReadableIdsStack } from './logical-ids';
import { ArtifactStorage, ALB_LOG_PREFIX } from '../constructs/artifacts';
import { Database } from '../constructs/database';
import { Edge } from '../constructs/edge';
import { EncryptionKey } from '../constructs/encryption';
import { Network } from '../constructs/network';
import { ImageRepository } from '../constructs/registry';
import { SecurityGroups } from '../constructs/security-groups';
import { MlflowService } from '../constructs/service';

export class MlflowStack extends ReadableIdsStack {
  public readonly config: EnvironmentConfig;
  public readonly encryption: EncryptionKey;
  public readonly network: Network;
  public readonly securityGroups: SecurityGroups;
  public readonly database: Database;
  public readonly storage: ArtifactStorage;
  public readonly registry: ImageRepository;
  public readonly edge: Edge;
  public readonly service: MlflowService;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config.stackName);
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
    this.configureBackend(config);

    const { accountId, region, namePrefix } = config;
    this.encryption = new EncryptionKey(this, 'encryption', { accountId, region, alias: `${namePrefix}-mlflow-${config.name}` });
    const kmsKeyArn = this.encryption.arn;
    this.network = new Network(this, 'network', { config: config.network, namePrefix, accountId, kmsKeyArn });
    const privateSubnetIds = this.network.privateSubnets.map((s) => s.id);
    this.securityGroups = new SecurityGroups(this, 'security', {
      vpcId: this.network.vpc.id,
      vpcCidr: config.network.vpcCidr,
      names: config.edge.securityGroups,
    });
    this.database = new Database(this, 'database', {
      config: config.database,
      subnetIds: privateSubnetIds,
      securityGroupId: this.securityGroups.database.id,
      kmsKeyArn,
    });
    this.storage = new ArtifactStorage(this, 'storage', { config: config.artifacts, region, accountId, kmsKeyArn });
    this.registry = new ImageRepository(this, 'registry', { config: config.registry, kmsKeyArn });
    this.edge = new Edge(this, 'edge', {
      config: config.edge,
      region,
      vpcId: this.network.vpc.id,
      publicSubnetIds: this.network.publicSubnets.map((s) => s.id),
      securityGroupId: this.securityGroups.alb.id,
      accessLogsBucket: this.storage.logs.bucket.id,
      accessLogsPrefix: ALB_LOG_PREFIX,
    });
    this.service = new MlflowService(this, 'mlflow', {
      config: config.service,
      artifacts: config.artifacts,
      namePrefix,
      region,
      accountId,
      kmsKeyArn,
      imageUri: this.registry.imageUri,
      repositoryArn: this.registry.repository.arn,
      database: {
        host: this.database.address,
        port: this.database.port,
        name: config.database.name,
        username: config.database.username,
        secretArn: this.database.secretArn,
      },
      bucketArn: this.storage.bucketArn,
      bucketName: config.artifacts.bucketName,
      subnetIds: privateSubnetIds,
      securityGroupId: this.securityGroups.tasks.id,
      targetGroupArn: this.edge.targetGroup.arn,
      dependsOn: [this.edge.httpsListener, this.edge.httpListener],
    });
    this.addOutputs();
  }

  private addOutputs(): void {
    const outputs: Record<string, { value: unknown; description: string }> = {
      url: { value: this.edge.url, description: 'MLflow tracking URL (MLFLOW_TRACKING_URI)' },
      alb_dns_name: { value: this.edge.loadBalancer.dnsName, description: 'ALB DNS name (the Route53 alias target)' },
      ecr_repository_url: { value: this.registry.repository.repositoryUrl, description: 'ECR repository docker/build-push pushes to' },
      image: { value: this.registry.imageUri, description: 'Image the service runs' },
      artifacts_bucket: { value: this.storage.artifacts.bucket.bucket, description: 'The artifacts bucket' },
      artifacts_uri: { value: `s3://${this.config.artifacts.bucketName}/${this.config.artifacts.prefix}`, description: 'Artifact root' },
      db_endpoint: { value: this.database.instance.endpoint, description: 'Database endpoint (host:port)' },
      db_secret_arn: { value: this.database.secretArn, description: 'Secrets Manager secret with the database password' },
      cluster_name: { value: this.service.cluster.name, description: 'ECS cluster' },
      service_name: { value: this.service.service.name, description: 'ECS service' },
      db_upgrade_task_definition: { value: this.service.dbUpgradeTaskDefinition.family, description: 'Task definition family for `mlflow db upgrade`' },
      private_subnet_ids: { value: this.network.privateSubnets.map((s) => s.id), description: 'Private subnets (for run-task)' },
      tasks_security_group_id: { value: this.securityGroups.tasks.id, description: 'Tasks security group (for run-task)' },
    };
    for (const [id, output] of Object.entries(outputs)) {
      new TerraformOutput(this, id, output);
    }
  }

  private configureBackend(config: EnvironmentConfig): void {
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
