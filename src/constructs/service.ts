/**
 * The MLflow service on ECS Fargate: cluster (Container Insights), encrypted log group, execution
 * role (pull this repository's images, write this log group, read this secret — nothing else),
 * task role (the artifacts bucket prefix only), the task definition running the pinned ECR image
 * with the password injected through `secrets`, a one-off `db-upgrade` task definition, and the
 * service (private subnets, circuit breaker with rollback, grace period). With an internal API
 * entrance (`apiAccess.mode: 'internal-alb'`), a second service from the same image runs MLflow's
 * basic-auth app for programmatic clients, so no entrance reaches MLflow unauthenticated.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { ITerraformDependable } from 'cdktf';
import { ArtifactsConfig, ServiceConfig } from '../config/types';
import {
  BASIC_AUTH_HEALTH_CHECK_PATH,
  CONTAINER_NAME,
  CONTAINER_PORT,
  HEALTH_CHECK_COMMAND,
  HEALTH_CHECK_TIMING,
  healthCheckCommand,
  IMAGE_USER,
  WRITABLE_DIR,
} from '../image/contract';
import { ArtifactStorage } from './artifacts';
import { EncryptionKey } from './encryption';
import { GrantableRole, grantLogsWrite, grantSecretsRead } from './iam';
import { mlflowEnvironment, mlflowSecretArns, mlflowSecrets, MlflowRuntimeSettings } from './mlflow-runtime';
import { ImageRepository } from './registry';
import { suppress } from './suppress';

export interface MlflowServiceProps {
  readonly config: ServiceConfig;
  readonly artifacts: ArtifactsConfig;
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  /** The stack key: encrypts the log group; the execution role may decrypt with it. */
  readonly encryptionKey: EncryptionKey;
  /** The repository the tasks pull the pinned image from (the execution role is granted the pull). */
  readonly registry: ImageRepository;
  readonly database: { readonly host: string; readonly port: number; readonly name: string; readonly username: string; readonly secretArn: string };
  /** The artifacts bucket: the task role is granted read/write on `artifacts.prefix`. */
  readonly storage: ArtifactStorage;
  readonly bucketName: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly targetGroupArn: string;
  /** More target groups the service registers its tasks with (e.g. the internal API ALB's). @default [] */
  readonly additionalTargetGroupArns?: string[];
  /** More security groups on the tasks (e.g. one admitting the internal API ALB). @default [] */
  readonly additionalSecurityGroupIds?: string[];
  /**
   * A second service for programmatic clients, running MLflow's basic-auth app (its own task
   * definition `<taskFamily>-api` and service `<serviceName>-api`), registered only with this
   * target group. The main service stays behind the authenticating ALB. @default none
   */
  readonly authenticatedApi?: AuthenticatedApiProps;
  /** Application Auto Scaling owns the running count: Terraform ignores `desired_count` changes. @default false */
  readonly autoscaled?: boolean;
  /** The service starts after these (the listeners), so the target group is attached to the ALB first. */
  readonly dependsOn: ITerraformDependable[];
}

export interface AuthenticatedApiProps {
  /** The internal API load balancer's target group (health-checked on `/health`). */
  readonly targetGroupArn: string;
  /** Security groups of the API tasks besides the tasks' main group (e.g. one admitting the internal ALB). */
  readonly securityGroupIds: string[];
  /** Initial task count of the API service. */
  readonly desiredCount: number;
  /** Application Auto Scaling owns the API service's count: Terraform ignores `desired_count` changes. @default false */
  readonly autoscaled?: boolean;
  /** Secret with MLflow's basic-auth admin password (MLFLOW_AUTH_ADMIN_PASSWORD). */
  readonly adminPasswordSecretArn: string;
  /** The service starts after these (the internal listener). */
  readonly dependsOn: ITerraformDependable[];
}

/** A container definition as ECS takes it (the subset this project sets). */
export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly user: string;
  readonly readonlyRootFilesystem: boolean;
  readonly privileged: boolean;
  readonly command?: string[];
  readonly portMappings?: { containerPort: number; hostPort: number; protocol: string }[];
  readonly environment: { name: string; value: string }[];
  readonly secrets: { name: string; valueFrom: string }[];
  readonly mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
  readonly healthCheck?: { command: readonly string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  readonly linuxParameters: { capabilities: { drop: string[] }; initProcessEnabled: boolean };
  readonly logConfiguration: { logDriver: 'awslogs'; options: Record<string, string> };
}

export class MlflowService extends Construct {
  public readonly cluster: EcsCluster;
  public readonly service: EcsService;
  public readonly taskDefinition: EcsTaskDefinition;
  public readonly dbUpgradeTaskDefinition: EcsTaskDefinition;
  public readonly logGroup: CloudwatchLogGroup;
  /** Pulls the image, writes the logs, reads the secrets (ECS agent). */
  public readonly executionRole: GrantableRole;
  /** What MLflow itself may do: the artifacts prefix. */
  public readonly taskRole: GrantableRole;
  /** The basic-auth API service and its task definition, with {@link MlflowServiceProps.authenticatedApi}. */
  public readonly apiService?: EcsService;
  public readonly apiTaskDefinition?: EcsTaskDefinition;
  /** The API service's name as a literal (`<serviceName>-api`), for metric dimensions. */
  public readonly apiServiceName?: string;

  constructor(scope: Construct, id: string, props: MlflowServiceProps) {
    super(scope, id);
    const { config, namePrefix } = props;

    this.cluster = new EcsCluster(this, 'cluster', {
      name: config.clusterName,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: config.logGroupName,
      retentionInDays: config.logRetentionDays,
      kmsKeyId: props.encryptionKey.arn,
    });

    const secretArns = mlflowSecretArns({ ...MlflowService.runtimeSettings(props), basicAuthAdminSecretArn: props.authenticatedApi?.adminPasswordSecretArn });
    this.executionRole = new GrantableRole(this, {
      roleId: 'execution-role',
      roleName: config.executionRoleName,
      assumedBy: 'ecs-tasks.amazonaws.com',
      accountId: props.accountId,
      policyId: 'execution-policy',
      policyName: `${namePrefix}-ecs-execution-secrets`,
    });
    props.registry.grantPull(this.executionRole);
    grantLogsWrite(this.executionRole, this.logGroup.arn);
    grantSecretsRead(this.executionRole, secretArns, 'ReadDatabaseSecret');
    props.encryptionKey.grantDecrypt(this.executionRole, 'DecryptWithStackKey');

    this.taskRole = new GrantableRole(this, {
      roleId: 'task-role',
      roleName: config.taskRoleName,
      assumedBy: 'ecs-tasks.amazonaws.com',
      accountId: props.accountId,
      policyId: 'task-policy',
      policyName: `${namePrefix}-ecs-task-s3`,
    });
    props.storage.grantReadWrite(this.taskRole, props.artifacts.prefix);

    const container = this.containerDefinition(props, 'mlflow');
    const volumes = [{ name: 'tmp' }];
    const taskBase = {
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: String(config.cpu),
      memory: String(config.memoryMiB),
      executionRoleArn: this.executionRole.role.arn,
      taskRoleArn: this.taskRole.role.arn,
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: config.cpuArchitecture },
      ephemeralStorage: { sizeInGib: config.ephemeralStorageGiB },
      volume: volumes,
    };
    this.taskDefinition = new EcsTaskDefinition(this, 'task', {
      family: config.taskFamily,
      ...taskBase,
      containerDefinitions: JSON.stringify([container]),
    });

    // One-off schema migration (`mlflow db upgrade`): same image, secret, roles and network;
    // run with `aws ecs run-task` (migration/db/README.md). No port, no health check.
    const upgrade: ContainerDefinition = {
      ...this.containerDefinition(props, 'db-upgrade'),
      command: ['db-upgrade'],
      portMappings: undefined,
      healthCheck: undefined,
    };
    this.dbUpgradeTaskDefinition = new EcsTaskDefinition(this, 'db-upgrade-task', {
      family: `${config.taskFamily}-db-upgrade`,
      ...taskBase,
      containerDefinitions: JSON.stringify([upgrade]),
    });
    const scratchVolume = {
      id: 'MLF-ECS-12',
      reason:
        'The tmp volume is the writable scratch directory that readonlyRootFilesystem (CKV_AWS_336) requires; it lives on Fargate ephemeral storage, which AWS encrypts, so EFS transit encryption does not apply.',
    };
    suppress(this.taskDefinition, [scratchVolume]);
    suppress(this.dbUpgradeTaskDefinition, [scratchVolume]);

    const serviceBase = {
      cluster: this.cluster.id,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      healthCheckGracePeriodSeconds: config.healthCheckGracePeriodSeconds,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      enableExecuteCommand: false,
    } as const;
    const loadBalancer = (arns: string[]) => arns.map((targetGroupArn) => ({ targetGroupArn, containerName: CONTAINER_NAME, containerPort: CONTAINER_PORT }));
    this.service = new EcsService(this, 'service', {
      ...serviceBase,
      name: config.serviceName,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: config.desiredCount,
      networkConfiguration: { subnets: props.subnetIds, securityGroups: [props.securityGroupId, ...(props.additionalSecurityGroupIds ?? [])], assignPublicIp: false },
      loadBalancer: loadBalancer([props.targetGroupArn, ...(props.additionalTargetGroupArns ?? [])]),
      dependsOn: props.dependsOn,
      lifecycle: props.autoscaled ? { ignoreChanges: ['desired_count'] } : undefined,
    });

    const api = props.authenticatedApi;
    if (api) {
      const apiContainer = this.containerDefinition(props, 'mlflow-api', { basicAuthAdminSecretArn: api.adminPasswordSecretArn });
      this.apiTaskDefinition = new EcsTaskDefinition(this, 'api-task', {
        family: `${config.taskFamily}-api`,
        ...taskBase,
        containerDefinitions: JSON.stringify([apiContainer]),
      });
      suppress(this.apiTaskDefinition, [scratchVolume]);
      this.apiServiceName = `${config.serviceName}-api`;
      this.apiService = new EcsService(this, 'api-service', {
        ...serviceBase,
        name: this.apiServiceName,
        taskDefinition: this.apiTaskDefinition.arn,
        desiredCount: api.desiredCount,
        networkConfiguration: { subnets: props.subnetIds, securityGroups: [props.securityGroupId, ...api.securityGroupIds], assignPublicIp: false },
        loadBalancer: loadBalancer([api.targetGroupArn]),
        dependsOn: api.dependsOn,
        lifecycle: api.autoscaled ? { ignoreChanges: ['desired_count'] } : undefined,
      });
    }
  }

  /** What the image needs from this stack (shared with the App Runner variant). */
  public static runtimeSettings(props: MlflowServiceProps): MlflowRuntimeSettings {
    return {
      database: props.database,
      artifacts: props.artifacts,
      bucketName: props.bucketName,
      gunicornWorkers: props.config.gunicornWorkers,
      gunicornTimeoutSeconds: props.config.gunicornTimeoutSeconds,
      region: props.region,
    };
  }

  /** The MLflow container: the image contract (`src/image/contract.ts`) turned into ECS settings. */
  private containerDefinition(props: MlflowServiceProps, streamPrefix: string, extra: Partial<MlflowRuntimeSettings> = {}): ContainerDefinition {
    const settings = { ...MlflowService.runtimeSettings(props), ...extra };
    const environment = mlflowEnvironment(settings);
    const secrets = mlflowSecrets(settings);
    return {
      name: CONTAINER_NAME,
      image: props.registry.imageUri,
      essential: true,
      user: IMAGE_USER,
      readonlyRootFilesystem: true,
      privileged: false,
      portMappings: [{ containerPort: CONTAINER_PORT, hostPort: CONTAINER_PORT, protocol: 'tcp' }],
      environment: Object.keys(environment)
        .sort()
        .map((name) => ({ name, value: environment[name] })),
      secrets: Object.keys(secrets)
        .sort()
        .map((name) => ({ name, valueFrom: secrets[name] })),
      mountPoints: [{ sourceVolume: 'tmp', containerPath: WRITABLE_DIR, readOnly: false }],
      healthCheck: {
        command: settings.basicAuthAdminSecretArn ? healthCheckCommand(BASIC_AUTH_HEALTH_CHECK_PATH) : HEALTH_CHECK_COMMAND,
        interval: HEALTH_CHECK_TIMING.intervalSeconds,
        timeout: HEALTH_CHECK_TIMING.timeoutSeconds,
        retries: HEALTH_CHECK_TIMING.retries,
        startPeriod: HEALTH_CHECK_TIMING.startPeriodSeconds,
      },
      linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': this.logGroup.name,
          'awslogs-region': props.region,
          'awslogs-stream-prefix': streamPrefix,
        },
      },
    };
  }
}
