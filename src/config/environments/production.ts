/**
 * Production: the environment the team runs today from `aws-production/terraform`. Names, CIDRs,
 * identifiers, security group descriptions and the random password's settings are the legacy
 * values, so that every existing resource keeps its identity when its state moves here
 * (see `migration/README.md`). Values marked "supply" are the team's own.
 */
import { EcsEnvironmentConfig } from '../types';

const project = 'fraud-scoring';
/** supply: the AWS account id (the legacy state's account). */
const accountId = '123456789012';

export const production: EcsEnvironmentConfig = {
  name: 'production',
  stackName: 'mlflow-production',
  production: true,
  project,
  namePrefix: project,
  region: 'us-east-1',
  accountId,
  // The legacy state was written with `~> 5.0`; widened to the 5.x line the provider mirror carries.
  awsProviderVersion: '>= 5.0, < 6.0',
  tags: { CostCenter: 'fraud-scoring', Owner: 'ml-platform' },
  // supply: Terraform Cloud organization and workspace (one workspace per stack).
  backend: { type: 'cloud', organization: 'fraud-scoring', workspace: 'mlflow-production' },
  network: {
    vpcCidr: '10.20.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    // cidrsubnet(var.vpc_cidr, 8, i) and cidrsubnet(var.vpc_cidr, 8, i + 10) in the legacy HCL.
    publicSubnetCidrs: ['10.20.0.0/24', '10.20.1.0/24'],
    privateSubnetCidrs: ['10.20.10.0/24', '10.20.11.0/24'],
    natGateways: 'per-az',
    flowLogRetentionDays: 365,
    // supply: how the client networks of apiAccess.allowedCidrs are attached (transit gateway or
    // peering): replies from the internal ALB follow these routes instead of the NAT gateway.
    clientRoutes: [{ cidr: '10.100.0.0/16', transitGatewayId: 'tgw-0123456789abcdef0' }],
  },
  database: {
    engine: 'postgres',
    identifier: `${project}-mlflow-db`,
    engineVersion: '15',
    name: 'mlflow_db',
    username: 'mlflow_user',
    instanceClass: 'db.t3.medium',
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 100,
    multiAz: true,
    backupRetentionDays: 14,
    deletionProtection: true,
    finalSnapshot: true,
    passwordMode: 'random',
    // The legacy password's character set: changing it would generate a new password. The
    // entrypoint URL-encodes the password, so these characters are safe in the URI.
    passwordSpecialCharacters: '!#$%&*()-_=+[]{}<>:?',
    storageKms: 'aws-managed',
    secretName: `${project}/mlflow/db-credentials`,
    subnetGroupName: `${project}-db-subnet-group`,
    performanceInsightsRetentionDays: 7,
  },
  artifacts: {
    bucketName: `${project}-models-${accountId}`,
    prefix: 'mlflow-artifacts/',
    transitionToIaDays: 30,
    transitionToGlacierDays: 180,
    noncurrentVersionExpirationDays: 365,
    accessLogsBucketName: `${project}-mlflow-logs-${accountId}`,
    accessLogRetentionDays: 365,
    mode: 'proxied',
  },
  registry: {
    repositoryName: `${project}/mlflow`,
    untaggedExpiryDays: 14,
    // `docker/build-push` prints the digest; set MLFLOW_IMAGE_DIGEST_PRODUCTION at synth to pin it.
    image: { tag: 'mlflow-2.18.0' },
  },
  service: {
    cpu: 1024,
    memoryMiB: 2048,
    cpuArchitecture: 'X86_64',
    desiredCount: 2,
    clusterName: `${project}-cluster`,
    serviceName: `${project}-mlflow`,
    taskFamily: `${project}-mlflow`,
    logGroupName: `/ecs/${project}-mlflow`,
    logRetentionDays: 365,
    executionRoleName: `${project}-ecs-task-execution-role`,
    taskRoleName: `${project}-ecs-task-role`,
    gunicornWorkers: 4,
    gunicornTimeoutSeconds: 120,
    healthCheckGracePeriodSeconds: 120,
    ephemeralStorageGiB: 50,
    // desiredCount is the initial count; Application Auto Scaling owns it afterwards.
    autoscaling: { minCount: 2, maxCount: 6, cpuTargetPercent: 60, memoryTargetPercent: 70, requestsPerTarget: 300 },
  },
  edge: {
    // supply: the team's domain and its Route53 hosted zone.
    domainName: 'example.com',
    hostname: 'mlflow.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    certificate: { mode: 'create' },
    auth: {
      type: 'cognito',
      domainPrefix: `${project}-mlflow`,
      userPoolName: `${project}-mlflow-users`,
      sessionTimeoutSeconds: 28800,
    },
    loadBalancerName: `${project}-alb`,
    targetGroupName: `${project}-mlflow-tg`,
    idleTimeoutSeconds: 180,
    deregistrationDelaySeconds: 30,
    deletionProtection: true,
    securityGroups: {
      alb: { name: `${project}-alb-sg`, description: 'ALB security group' },
      tasks: { name: `${project}-ecs-tasks-sg`, description: 'Allow inbound access from the ALB only' },
      database: { name: `${project}-rds-sg`, description: 'Allow Postgres from ECS tasks' },
    },
  },
  // Programmatic clients (training jobs, CI, SageMaker, VPN users) reach an internal ALB: proxied
  // artifacts stay possible (API Gateway would cap requests at 10 MB / 30 s).
  apiAccess: {
    mode: 'internal-alb',
    hostname: 'mlflow-api.example.com',
    // supply: the VPN / peered networks and the security groups of jobs that log to MLflow.
    allowedCidrs: ['10.100.0.0/16'],
    allowedSecurityGroupIds: ['sg-0123456789abcdef0'],
  },
  waf: { rateLimitPer5Minutes: 2000, logRetentionDays: 365 },
  // supply: the on-call address.
  alarms: { emails: ['ml-platform-oncall@example.com'] },
};
