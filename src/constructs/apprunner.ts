/**
 * The App Runner variant (the advice's Option B): the same ECR image, database, bucket and KMS key
 * as the ECS variant, run by App Runner. For accounts that already use App Runner: AWS App Runner
 * is closed to new customers since 2026-04-30 (docs/operations.md).
 *
 * - access role (build.apprunner): pull this repository's images; instance role (tasks.apprunner):
 *   the artifacts prefix, the secrets the image reads, the stack key;
 * - VPC connector in the private subnets (egress type VPC) so the service reaches the database;
 * - auto scaling configuration, health check on `/` over HTTP (`/health` with basic-auth, which
 *   answers `/` with 401), encryption with the stack key;
 * - secrets from Secrets Manager (`runtime_environment_secrets`), environment from the shared
 *   image contract (`mlflow-runtime.ts`);
 * - custom domain association with its certificate validation records and the CNAME in Route53;
 * - protection: App Runner has no OIDC step, so either the WAF allow-list (the stack's web ACL)
 *   or MLflow's basic-auth app with a generated admin password (`appRunner.protection`).
 */
import { Construct } from 'constructs';
import { suppress } from './suppress';
import { Fn, TerraformCount, Token } from 'cdktf';
import { ApprunnerAutoScalingConfigurationVersion } from '@cdktf/provider-aws/lib/apprunner-auto-scaling-configuration-version';
import { ApprunnerCustomDomainAssociation } from '@cdktf/provider-aws/lib/apprunner-custom-domain-association';
import { ApprunnerService } from '@cdktf/provider-aws/lib/apprunner-service';
import { ApprunnerVpcConnector } from '@cdktf/provider-aws/lib/apprunner-vpc-connector';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { AppRunnerConfig, AppRunnerEdgeConfig } from '../config/types';
import { BASIC_AUTH_HEALTH_CHECK_PATH, CONTAINER_PORT, HEALTH_CHECK_PATH } from '../image/contract';
import { basicAuthAdminSecret } from './basic-auth';
import { ArtifactStorage } from './artifacts';
import { EncryptionKey } from './encryption';
import { GrantableRole, grantSecretsRead } from './iam';
import { mlflowEnvironment, mlflowSecretArns, mlflowSecrets, MlflowRuntimeSettings } from './mlflow-runtime';
import { ImageRepository } from './registry';
import { POSTGRES_PORT } from './security-groups';
import { sgRule } from './sg-rule';

export interface AppRunnerSecurityGroupsProps {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly names: AppRunnerEdgeConfig['securityGroups'];
}

/** The VPC connector's group and the database's group (PostgreSQL from the connector only). */
export class AppRunnerSecurityGroups extends Construct {
  public readonly connector: SecurityGroup;
  public readonly database: SecurityGroup;

  constructor(scope: Construct, id: string, props: AppRunnerSecurityGroupsProps) {
    super(scope, id);
    const { names } = props;
    this.connector = new SecurityGroup(this, 'connector', {
      name: names.connector.name,
      description: names.connector.description,
      vpcId: props.vpcId,
      // App Runner's connector ENIs only send: nothing connects to them.
      ingress: [],
      egress: [
        sgRule('PostgreSQL in the VPC', POSTGRES_PORT, { cidrBlocks: [props.vpcCidr] }),
        sgRule('HTTPS to AWS APIs (S3, Secrets Manager) through NAT', 443, { cidrBlocks: ['0.0.0.0/0'] }),
      ],
      tags: { Name: names.connector.name },
    });
    suppress(this.connector, [
      {
        id: 'MLF-SG-10',
        reason: 'The App Runner VPC connector reaches S3 and Secrets Manager over 443 through NAT; VPC endpoints would remove this egress at an extra hourly cost per endpoint and AZ.',
      },
    ]);
    this.database = new SecurityGroup(this, 'database', {
      name: names.database.name,
      description: names.database.description,
      vpcId: props.vpcId,
      ingress: [sgRule('PostgreSQL from the App Runner VPC connector only', POSTGRES_PORT, { securityGroups: [this.connector.id] })],
      egress: [],
      tags: { Name: names.database.name },
    });
  }
}

export interface AppRunnerServiceProps {
  readonly config: AppRunnerConfig;
  readonly edge: AppRunnerEdgeConfig;
  /** Number of certificate validation records to publish (resolved default). */
  readonly validationRecordCount: number;
  readonly accountId: string;
  /** The stack key: encrypts the service and the admin password; the access role decrypts image layers with it. */
  readonly encryptionKey: EncryptionKey;
  /** The repository App Runner pulls the pinned image from (the access role is granted the pull). */
  readonly registry: ImageRepository;
  /** The runtime settings shared with the ECS variant (without basic auth: that is added here). */
  readonly runtime: MlflowRuntimeSettings;
  /** The artifacts bucket: the instance role is granted read/write on `runtime.artifacts.prefix`. */
  readonly storage: ArtifactStorage;
  readonly privateSubnetIds: string[];
  readonly connectorSecurityGroupId: string;
  /** Secrets Manager name of the basic-auth admin password (used with protection `basic-auth`). */
  readonly adminPasswordSecretName: string;
}

export class MlflowAppRunner extends Construct {
  public readonly service: ApprunnerService;
  /** App Runner's own (build.apprunner): pulls the image. */
  public readonly accessRole: GrantableRole;
  /** What MLflow itself may do (tasks.apprunner): the artifacts prefix, its secrets. */
  public readonly instanceRole: GrantableRole;
  public readonly vpcConnector: ApprunnerVpcConnector;
  public readonly autoScaling: ApprunnerAutoScalingConfigurationVersion;
  public readonly domain: ApprunnerCustomDomainAssociation;
  public readonly adminPasswordSecret?: SecretsmanagerSecret;
  public readonly url: string;

  constructor(scope: Construct, id: string, props: AppRunnerServiceProps) {
    super(scope, id);
    const { config } = props;

    let runtime = props.runtime;
    if (config.protection === 'basic-auth') {
      this.adminPasswordSecret = basicAuthAdminSecret(this, { name: props.adminPasswordSecretName, description: 'MLflow basic-auth admin password (App Runner)', kmsKeyArn: props.encryptionKey.arn });
      runtime = { ...runtime, basicAuthAdminSecretArn: this.adminPasswordSecret.arn };
    }

    this.accessRole = new GrantableRole(this, {
      roleId: 'access-role',
      roleName: config.accessRoleName,
      assumedBy: 'build.apprunner.amazonaws.com',
      accountId: props.accountId,
      policyId: 'access-policy',
      policyName: `${config.accessRoleName}-ecr`,
    });
    props.registry.grantPull(this.accessRole, { describeImages: true });
    props.encryptionKey.grantDecrypt(this.accessRole, 'DecryptImageLayers');

    this.instanceRole = new GrantableRole(this, {
      roleId: 'instance-role',
      roleName: config.instanceRoleName,
      assumedBy: 'tasks.apprunner.amazonaws.com',
      accountId: props.accountId,
      policyId: 'instance-policy',
      policyName: `${config.instanceRoleName}-mlflow`,
    });
    props.storage.grantReadWrite(this.instanceRole, runtime.artifacts.prefix);
    grantSecretsRead(this.instanceRole, mlflowSecretArns(runtime), 'ReadMlflowSecrets', { alwaysList: true });

    this.vpcConnector = new ApprunnerVpcConnector(this, 'vpc-connector', {
      vpcConnectorName: config.vpcConnectorName,
      subnets: props.privateSubnetIds,
      securityGroups: [props.connectorSecurityGroupId],
    });
    this.autoScaling = new ApprunnerAutoScalingConfigurationVersion(this, 'auto-scaling', {
      autoScalingConfigurationName: config.autoScalingConfigurationName,
      minSize: config.minSize,
      maxSize: config.maxSize,
      maxConcurrency: config.maxConcurrency,
    });

    this.service = new ApprunnerService(this, 'service', {
      serviceName: config.serviceName,
      sourceConfiguration: {
        autoDeploymentsEnabled: false,
        authenticationConfiguration: { accessRoleArn: this.accessRole.role.arn },
        imageRepository: {
          imageIdentifier: props.registry.imageUri,
          imageRepositoryType: 'ECR',
          imageConfiguration: {
            port: String(CONTAINER_PORT),
            runtimeEnvironmentVariables: mlflowEnvironment(runtime),
            runtimeEnvironmentSecrets: mlflowSecrets(runtime),
          },
        },
      },
      instanceConfiguration: { cpu: String(config.cpu), memory: String(config.memoryMiB), instanceRoleArn: this.instanceRole.role.arn },
      networkConfiguration: {
        egressConfiguration: { egressType: 'VPC', vpcConnectorArn: this.vpcConnector.arn },
        ingressConfiguration: { isPubliclyAccessible: true },
      },
      healthCheckConfiguration: {
        protocol: 'HTTP',
        path: config.protection === 'basic-auth' ? BASIC_AUTH_HEALTH_CHECK_PATH : HEALTH_CHECK_PATH, interval: 10, timeout: 5, healthyThreshold: 1, unhealthyThreshold: 5 },
      autoScalingConfigurationArn: this.autoScaling.arn,
      encryptionConfiguration: { kmsKey: props.encryptionKey.arn },
      // The access role must be able to pull before App Runner first deploys.
      dependsOn: [this.accessRole.policy],
    });

    const { edge } = props;
    this.domain = new ApprunnerCustomDomainAssociation(this, 'domain', {
      domainName: edge.hostname,
      serviceArn: this.service.arn,
      enableWwwSubdomain: false,
    });
    new Route53Record(this, 'domain-cname', {
      zoneId: edge.hostedZoneId,
      name: edge.hostname,
      type: 'CNAME',
      records: [this.domain.dnsTarget],
      ttl: 300,
    });
    // The record names are only known once the association exists, so `for_each` over them cannot
    // be planned (hashicorp/terraform-provider-aws#23460); the count is known from config instead.
    const count = TerraformCount.of(props.validationRecordCount);
    const record = Fn.element(Fn.tolist(this.domain.interpolationForAttribute('certificate_validation_records')), Token.asNumber(count.index));
    new Route53Record(this, 'certificate-validation', {
      count,
      zoneId: edge.hostedZoneId,
      name: Token.asString(Fn.lookup(record, 'name', '')),
      type: Token.asString(Fn.lookup(record, 'type', '')),
      records: [Token.asString(Fn.lookup(record, 'value', ''))],
      ttl: 300,
      allowOverwrite: true,
    });
    this.url = `https://${edge.hostname}`;
  }
}
