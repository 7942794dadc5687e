/**
 * App Runner staging: the advice's Option B as its own stack (`mlflow-apprunner-staging`), with
 * Aurora PostgreSQL Serverless v2. For accounts that already use App Runner: AWS App Runner is
 * closed to new customers since 2026-04-30 (AWS points new users to ECS Express Mode, which needs
 * AWS provider 6); every other account runs the ECS stacks. App Runner has no OIDC step at the edge, so the service is
 * protected by MLflow's own basic-auth app (generated admin password in Secrets Manager) behind the
 * WAF; artifacts go straight to S3 (clients attach the emitted artifacts client policy).
 */
import { AppRunnerEnvironmentConfig } from '../types';
import { stagingBase } from './staging-base';

const env = 'apprunner-staging';
/** supply: the AWS account id. */
const accountId = '123456789012';
const base = stagingBase({ env, accountId, vpcOctet: 40 });
const prefix = base.environment.namePrefix;

export const apprunnerStaging: AppRunnerEnvironmentConfig = {
  ...base.environment,
  runtime: 'apprunner',
  database: {
    engine: 'aurora-postgresql',
    identifier: `${prefix}-mlflow-db`,
    engineVersion: '16',
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
    // A stack-owned password: App Runner cannot pick up an RDS-managed password rotated under it.
    passwordMode: 'random',
    storageKms: 'customer-managed',
    secretName: `${prefix}/mlflow/db-credentials`,
    subnetGroupName: `${prefix}-db-subnet-group`,
    performanceInsightsRetentionDays: 7,
  },
  artifacts: base.artifacts,
  registry: base.registry,
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
  waf: base.waf,
};
