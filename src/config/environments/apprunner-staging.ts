/**
 * App Runner staging: the advice's Option B as its own stack (`mlflow-apprunner-staging`), with
 * Aurora PostgreSQL Serverless v2. App Runner has no OIDC step at the edge, so the service is
 * protected by MLflow's own basic-auth app (generated admin password in Secrets Manager) behind the
 * WAF; artifacts go straight to S3 (clients attach the emitted artifacts client policy).
 */
import { AppRunnerEnvironmentConfig } from '../types';

const project = 'fraud-scoring';
const env = 'apprunner-staging';
const prefix = `${project}-${env}`;
/** supply: the AWS account id. */
const accountId = '123456789012';

export const apprunnerStaging: AppRunnerEnvironmentConfig = {
  name: env,
  stackName: `mlflow-${env}`,
  runtime: 'apprunner',
  production: false,
  project,
  namePrefix: prefix,
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
    vpcCidr: '10.40.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnetCidrs: ['10.40.0.0/24', '10.40.1.0/24'],
    privateSubnetCidrs: ['10.40.10.0/24', '10.40.11.0/24'],
    natGateways: 'single',
    flowLogRetentionDays: 90,
  },
  database: {
    engine: 'aurora-postgresql',
    identifier: `${prefix}-mlflow-db`,
    engineVersion: '16.4',
    name: 'mlflow_db',
    username: 'mlflow_user',
    instanceClass: 'db.serverless',
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 20,
    multiAz: false,
    aurora: { minCapacityAcu: 0.5, maxCapacityAcu: 4, instances: 1 },
    backupRetentionDays: 7,
    deletionProtection: false,
    finalSnapshot: false,
    passwordMode: 'rds-managed',
    storageKms: 'customer-managed',
    secretName: `${prefix}/mlflow/db-credentials`,
    subnetGroupName: `${prefix}-db-subnet-group`,
    performanceInsightsRetentionDays: 7,
  },
  artifacts: {
    bucketName: `${prefix}-models-${accountId}`,
    prefix: 'mlflow-artifacts/',
    transitionToIaDays: 30,
    transitionToGlacierDays: 90,
    noncurrentVersionExpirationDays: 30,
    accessLogsBucketName: `${prefix}-mlflow-logs-${accountId}`,
    accessLogRetentionDays: 90,
    // A disposable environment: destroy empties the buckets (the log bucket is never empty).
    forceDestroy: true,
    mode: 'direct',
  },
  registry: {
    repositoryName: `${prefix}/mlflow`,
    keepImages: 10,
    untaggedExpiryDays: 7,
    image: { tag: 'mlflow-2.18.0' },
  },
  appRunner: {
    serviceName: `${prefix}-mlflow`,
    cpu: 1024,
    memoryMiB: 2048,
    minSize: 1,
    maxSize: 3,
    maxConcurrency: 50,
    autoScalingConfigurationName: 'mlflow-apprunner-stg',
    vpcConnectorName: `${prefix}-mlflow`,
    accessRoleName: `${prefix}-apprunner-access`,
    instanceRoleName: `${prefix}-apprunner-instance`,
    gunicornWorkers: 2,
    gunicornTimeoutSeconds: 110,
    protection: 'basic-auth',
  },
  edge: {
    domainName: 'example.com',
    hostname: `mlflow-${env}.example.com`,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    securityGroups: {
      connector: { name: `${prefix}-apprunner-connector-sg`, description: 'MLflow App Runner VPC connector: Postgres and HTTPS out' },
      database: { name: `${prefix}-rds-sg`, description: 'MLflow database: Postgres from the App Runner connector only' },
    },
  },
  waf: { rateLimitPer5Minutes: 1000, logRetentionDays: 90 },
};
