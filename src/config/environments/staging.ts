/**
 * Staging: a new environment (nothing to migrate), sized down, with its own names and VPC range.
 * It shows the S3 backend with S3-native locking and an external OIDC identity provider.
 */
import { EcsEnvironmentConfig } from '../types';

const project = 'fraud-scoring';
const env = 'staging';
/** supply: the AWS account id. */
const accountId = '123456789012';

export const staging: EcsEnvironmentConfig = {
  name: env,
  stackName: `mlflow-${env}`,
  production: false,
  project,
  namePrefix: `${project}-${env}`,
  region: 'us-east-1',
  accountId,
  awsProviderVersion: '>= 5.0, < 6.0',
  backend: {
    type: 's3',
    bucket: `${project}-tfstate`,
    key: `mlflow-${env}/terraform.tfstate`,
    region: 'us-east-1',
    useLockfile: true,
  },
  network: {
    vpcCidr: '10.30.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnetCidrs: ['10.30.0.0/24', '10.30.1.0/24'],
    privateSubnetCidrs: ['10.30.10.0/24', '10.30.11.0/24'],
    natGateways: 'single',
    flowLogRetentionDays: 90,
  },
  database: {
    engine: 'postgres',
    identifier: `${project}-${env}-mlflow-db`,
    engineVersion: '15.7',
    name: 'mlflow_db',
    username: 'mlflow_user',
    instanceClass: 'db.t3.micro',
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 50,
    multiAz: false,
    backupRetentionDays: 7,
    deletionProtection: false,
    finalSnapshot: false,
    passwordMode: 'rds-managed',
    storageKms: 'customer-managed',
    secretName: `${project}-${env}/mlflow/db-credentials`,
    subnetGroupName: `${project}-${env}-db-subnet-group`,
    performanceInsightsRetentionDays: 7,
  },
  artifacts: {
    bucketName: `${project}-${env}-models-${accountId}`,
    prefix: 'mlflow-artifacts/',
    transitionToIaDays: 30,
    transitionToGlacierDays: 90,
    noncurrentVersionExpirationDays: 30,
    accessLogsBucketName: `${project}-${env}-mlflow-logs-${accountId}`,
    accessLogRetentionDays: 90,
    // A disposable environment: destroy empties the buckets (the log bucket is never empty).
    forceDestroy: true,
    mode: 'direct',
  },
  registry: {
    repositoryName: `${project}-${env}/mlflow`,
    keepImages: 10,
    untaggedExpiryDays: 7,
    image: { tag: 'mlflow-2.18.0' },
  },
  service: {
    cpu: 512,
    memoryMiB: 1024,
    cpuArchitecture: 'X86_64',
    desiredCount: 1,
    clusterName: `${project}-${env}-cluster`,
    serviceName: `${project}-${env}-mlflow`,
    taskFamily: `${project}-${env}-mlflow`,
    logGroupName: `/ecs/${project}-${env}-mlflow`,
    logRetentionDays: 90,
    executionRoleName: `${project}-${env}-ecs-task-execution-role`,
    taskRoleName: `${project}-${env}-ecs-task-role`,
    gunicornWorkers: 2,
    gunicornTimeoutSeconds: 120,
    healthCheckGracePeriodSeconds: 120,
    ephemeralStorageGiB: 21,
    autoscaling: { minCount: 1, maxCount: 3 },
  },
  edge: {
    domainName: 'example.com',
    hostname: `mlflow-${env}.example.com`,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    certificate: { mode: 'create' },
    auth: {
      // supply: the IdP's endpoints and client id; the client secret is the sensitive variable
      // `oidc_client_secret` (TF_VAR_oidc_client_secret or a Terraform Cloud sensitive variable).
      type: 'oidc',
      issuer: 'https://login.example.com',
      authorizationEndpoint: 'https://login.example.com/oauth2/v1/authorize',
      tokenEndpoint: 'https://login.example.com/oauth2/v1/token',
      userInfoEndpoint: 'https://login.example.com/oauth2/v1/userinfo',
      clientId: 'mlflow-staging',
      sessionTimeoutSeconds: 28800,
    },
    loadBalancerName: `${project}-${env}-alb`,
    targetGroupName: `${project}-${env}-mlflow-tg`,
    idleTimeoutSeconds: 180,
    deregistrationDelaySeconds: 30,
    deletionProtection: false,
    securityGroups: {
      alb: { name: `${project}-${env}-alb-sg`, description: 'MLflow ALB: HTTP and HTTPS from the internet' },
      tasks: { name: `${project}-${env}-ecs-tasks-sg`, description: 'MLflow tasks: port 5000 from the ALB only' },
      database: { name: `${project}-${env}-rds-sg`, description: 'MLflow database: Postgres from the tasks only' },
    },
  },
  // Clients sign requests (MLFLOW_TRACKING_AWS_SIGV4=true) to an IAM-authorized HTTP API; artifacts
  // go straight to S3 (artifacts.mode direct), so the 10 MB API Gateway payload cap does not apply.
  apiAccess: { mode: 'apigateway-iam', hostname: `mlflow-api-${env}.example.com` },
  waf: { rateLimitPer5Minutes: 1000, logRetentionDays: 90 },
};
