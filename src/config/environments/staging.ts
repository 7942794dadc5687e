/**
 * Staging: a new environment (nothing to migrate), sized down, with its own names and VPC range.
 * It shows the S3 backend with S3-native locking and an external OIDC identity provider.
 */
import { EcsEnvironmentConfig } from '../types';
import { stagingBase } from './staging-base';

const env = 'staging';
/** supply: the AWS account id. */
const accountId = '123456789012';
const base = stagingBase({ env, accountId, vpcOctet: 30 });
const prefix = base.environment.namePrefix;

export const staging: EcsEnvironmentConfig = {
  ...base.environment,
  database: {
    engine: 'postgres',
    identifier: `${prefix}-mlflow-db`,
    engineVersion: '15',
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
    secretName: `${prefix}/mlflow/db-credentials`,
    subnetGroupName: `${prefix}-db-subnet-group`,
    performanceInsightsRetentionDays: 7,
  },
  artifacts: base.artifacts,
  registry: base.registry,
  service: {
    cpu: 512,
    memoryMiB: 1024,
    cpuArchitecture: 'X86_64',
    desiredCount: 1,
    clusterName: `${prefix}-cluster`,
    serviceName: `${prefix}-mlflow`,
    taskFamily: `${prefix}-mlflow`,
    logGroupName: `/ecs/${prefix}-mlflow`,
    logRetentionDays: 90,
    executionRoleName: `${prefix}-ecs-task-execution-role`,
    taskRoleName: `${prefix}-ecs-task-role`,
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
    loadBalancerName: `${prefix}-alb`,
    targetGroupName: `${prefix}-mlflow-tg`,
    idleTimeoutSeconds: 180,
    deregistrationDelaySeconds: 30,
    deletionProtection: false,
    securityGroups: {
      alb: { name: `${prefix}-alb-sg`, description: 'MLflow ALB: HTTP and HTTPS from the internet' },
      tasks: { name: `${prefix}-ecs-tasks-sg`, description: 'MLflow tasks: port 5000 from the ALB only' },
      database: { name: `${prefix}-rds-sg`, description: 'MLflow database: Postgres from the tasks only' },
    },
  },
  // Clients sign requests (MLFLOW_TRACKING_AWS_SIGV4=true) to an IAM-authorized HTTP API; artifacts
  // go straight to S3 (artifacts.mode direct), so the 10 MB API Gateway payload cap does not apply.
  apiAccess: { mode: 'apigateway-iam', hostname: `mlflow-api-${env}.example.com` },
  waf: base.waf,
};
