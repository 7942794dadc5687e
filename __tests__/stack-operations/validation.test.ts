/** Bad combinations of the operations settings give clear errors: path, value, what is allowed. */
import { apprunnerStaging } from '../../src/config/environments/apprunner-staging';
import { production } from '../../src/config/environments/production';
import { staging } from '../../src/config/environments/staging';
import { AnyEnvironmentConfig, AppRunnerEnvironmentConfig, EnvironmentConfig } from '../../src/config/types';
import { validateEnvironment, validateEnvironments } from '../../src/config/validate';
import { environments } from '../../src/config/environments';

const prod = (patch: Partial<EnvironmentConfig>): EnvironmentConfig => ({ ...production, ...patch });
const svc = (patch: Partial<EnvironmentConfig['service']>) => prod({ service: { ...production.service, ...patch } });
const auto = (patch: object) => svc({ autoscaling: { ...production.service.autoscaling!, ...patch } });
const ar = (patch: Partial<AppRunnerEnvironmentConfig>): AppRunnerEnvironmentConfig => ({ ...apprunnerStaging, ...patch });
const arService = (patch: Partial<AppRunnerEnvironmentConfig['appRunner']>) => ar({ appRunner: { ...apprunnerStaging.appRunner, ...patch } });

test('the shipped environments, including apprunner-staging, are valid', () => {
  expect(validateEnvironments(environments)).toEqual([]);
  expect(environments.map((e) => e.stackName)).toEqual(['mlflow-staging', 'mlflow-production', 'mlflow-apprunner-staging']);
});

const cases: [string, AnyEnvironmentConfig, string, unknown, string][] = [
  // Autoscaling
  ['min > max', auto({ minCount: 5, maxCount: 3 }), 'production.service.autoscaling.minCount', 5, 'must not exceed service.autoscaling.maxCount (3)'],
  ['desired outside [min, max]', auto({ minCount: 3, maxCount: 6 }), 'production.service.desiredCount', 2, 'must lie within service.autoscaling [minCount, maxCount] = [3, 6]'],
  ['production min < 2', auto({ minCount: 1 }), 'production.service.autoscaling.minCount', 1, 'must be at least 2 in production (one task per AZ behind the ALB)'],
  ['CPU target out of range', auto({ cpuTargetPercent: 95 }), 'production.service.autoscaling.cpuTargetPercent', 95, 'must be a whole number from 10 to 90'],
  ['scale-in cooldown too short', auto({ scaleInCooldownSeconds: 10 }), 'production.service.autoscaling.scaleInCooldownSeconds', 10, 'must be a whole number from 60 to 3600'],
  // Alarms
  ['threshold out of range', prod({ alarms: { thresholds: { dbCpuPercent: 150 } } }), 'production.alarms.thresholds.dbCpuPercent', 150, 'must be a number from 1 to 100'],
  ['unknown threshold', prod({ alarms: { thresholds: { dbCpu: 80 } as object } }), 'production.alarms.thresholds.dbCpu', 80, 'is not a threshold; allowed: elb5xxPer5Minutes, target5xxPer5Minutes, unhealthyHosts, responseTimeP95Seconds, dbCpuPercent, dbFreeStorageGiB, dbConnections, dbFreeableMemoryMiB, ecsCpuPercent, ecsMemoryPercent'],
  ['bad e-mail', prod({ alarms: { emails: ['oncall'] } }), 'production.alarms.emails[0]', 'oncall', 'must be an e-mail address'],
  // WAF
  ['WAF rate limit below the AWS minimum', prod({ waf: { rateLimitPer5Minutes: 5 } }), 'production.waf.rateLimitPer5Minutes', 5, 'must be a whole number from 10 to 2000000000'],
  ['WAF allow-list of the whole internet', prod({ waf: { allowListCidrs: ['0.0.0.0/0'] } }), 'production.waf.allowListCidrs[0]', '0.0.0.0/0', 'must be an IPv4 CIDR block with a prefix of /8 or longer (never 0.0.0.0/0), e.g. "203.0.113.0/24"'],
  ['WAF log retention in production', prod({ waf: { logRetentionDays: 90 } }), 'production.waf.logRetentionDays', 90, 'must be at least 365 in production (scanners require a year of logs)'],
  // Database
  ['Aurora with multiAz', prod({ database: { ...production.database, engine: 'aurora-postgresql', multiAz: true, passwordMode: 'rds-managed', storageKms: 'customer-managed', aurora: { minCapacityAcu: 1, maxCapacityAcu: 4, instances: 2 } } }), 'production.database.multiAz', true, 'must be false with Aurora: Aurora spreads instances across AZs instead (set database.aurora.instances to 2 or more)'],
  ['App Runner with a rotating (RDS-managed) password', ar({ database: { ...apprunnerStaging.database, passwordMode: 'rds-managed' } }), 'apprunner-staging.database.passwordMode', 'rds-managed', 'must be "random" with the App Runner runtime: RDS rotates an RDS-managed password every 7 days, App Runner resolves secrets only when it deploys and has HTTP/TCP health checks only, so every new database connection would fail after the first rotation with nothing replacing the instances'],
  // Artifacts and API access
  ['proxied artifacts with small ephemeral storage', svc({ ephemeralStorageGiB: 21 }), 'production.service.ephemeralStorageGiB', 21, 'must be at least 30 with artifacts.mode "proxied" (uploads are buffered on the task\'s disk)'],
  ['API Gateway with proxied artifacts', prod({ apiAccess: { mode: 'apigateway-iam' } }), 'production.artifacts.mode', 'proxied', 'must be "direct" with apiAccess.mode "apigateway-iam": HTTP APIs cap payloads at 10 MB and 30 s, which breaks proxied artifact uploads (use "internal-alb" to keep proxied artifacts)'],
  ['internal ALB open to the internet', prod({ apiAccess: { ...production.apiAccess!, allowedCidrs: ['0.0.0.0/0'] } }), 'production.apiAccess.allowedCidrs[0]', '0.0.0.0/0', 'must be an IPv4 CIDR block with a prefix of /8 or longer (never 0.0.0.0/0), e.g. "203.0.113.0/24"'],
  ['internal ALB without clients', prod({ apiAccess: { mode: 'internal-alb', hostname: 'mlflow-api.example.com' } }), 'production.apiAccess.allowedCidrs', [], 'or apiAccess.allowedSecurityGroupIds must list at least one client source with mode "internal-alb"'],
  ['internal ALB without a hostname', prod({ apiAccess: { mode: 'internal-alb', allowedCidrs: ['10.100.0.0/16'] } }), 'production.apiAccess.hostname', undefined, 'is required with mode "internal-alb" (clients need a name the internal listener\'s certificate covers)'],
  ['API service below 2 tasks in production', prod({ apiAccess: { ...production.apiAccess!, desiredCount: 1 } }), 'production.apiAccess.desiredCount', 1, 'must be at least 2 in production (one API task per AZ behind the internal ALB)'],
  ['API service count out of range', prod({ apiAccess: { ...production.apiAccess!, desiredCount: 0.5 } }), 'production.apiAccess.desiredCount', 0.5, 'must be a whole number from 1 to 100'],
  ['API admin password secret name', prod({ apiAccess: { ...production.apiAccess!, adminPasswordSecretName: 'bad name' } }), 'production.apiAccess.adminPasswordSecretName', 'bad name', 'must be 1-512 characters from letters, digits and /_+=.@-'],
  ['API admin password secret equal to the database secret', prod({ apiAccess: { ...production.apiAccess!, adminPasswordSecretName: production.database.secretName } }), 'production.apiAccess.adminPasswordSecretName', production.database.secretName, 'must differ from database.secretName'],
  ['API autoscaling min > max', prod({ apiAccess: { ...production.apiAccess!, autoscaling: { minCount: 5, maxCount: 3 } } }), 'production.apiAccess.autoscaling.minCount', 5, 'must not exceed apiAccess.autoscaling.maxCount (3)'],
  ['API autoscaling min < 2 in production', prod({ apiAccess: { ...production.apiAccess!, autoscaling: { minCount: 1, maxCount: 2 } } }), 'production.apiAccess.autoscaling.minCount', 1, 'must be at least 2 in production (one task per AZ behind the internal ALB)'],
  ['API autoscaling max out of range', prod({ apiAccess: { ...production.apiAccess!, autoscaling: { maxCount: 101 } } }), 'production.apiAccess.autoscaling.maxCount', 101, 'must be a whole number from 1 to 100'],
  ['API desired count outside API autoscaling', prod({ apiAccess: { ...production.apiAccess!, desiredCount: 5, autoscaling: { minCount: 2, maxCount: 4 } } }), 'production.apiAccess.desiredCount', 5, 'must lie within apiAccess.autoscaling [minCount, maxCount] = [2, 4]'],
  ['API autoscaling CPU target out of range', prod({ apiAccess: { ...production.apiAccess!, autoscaling: { cpuTargetPercent: 95 } } }), 'production.apiAccess.autoscaling.cpuTargetPercent', 95, 'must be a whole number from 10 to 90'],
  ['API autoscaling cooldown too short', prod({ apiAccess: { ...production.apiAccess!, autoscaling: { scaleInCooldownSeconds: 10 } } }), 'production.apiAccess.autoscaling.scaleInCooldownSeconds', 10, 'must be a whole number from 60 to 3600'],
  ['API autoscaling with API Gateway', { ...staging, apiAccess: { ...staging.apiAccess!, autoscaling: { maxCount: 3 } } }, 'staging.apiAccess.autoscaling', { maxCount: 3 }, 'is only used with mode "internal-alb" (the API service that runs MLflow\'s basic-auth app)'],
  ['API service count with API Gateway', { ...staging, apiAccess: { ...staging.apiAccess!, desiredCount: 2 } }, 'staging.apiAccess.desiredCount', 2, 'is only used with mode "internal-alb" (the API service that runs MLflow\'s basic-auth app)'],
  ['API hostname equal to the browser hostname', prod({ apiAccess: { ...production.apiAccess!, hostname: 'mlflow.example.com' } }), 'production.apiAccess.hostname', 'mlflow.example.com', 'must differ from edge.hostname (mlflow.example.com): the browser hostname stays behind OIDC/Cognito'],
  ['unknown API access mode', prod({ apiAccess: { mode: 'public' as 'none' } }), 'production.apiAccess.mode', 'public', 'must be one of "none", "internal-alb", "apigateway-iam"'],
  // App Runner
  ['App Runner with OIDC settings', ar({ edge: { ...apprunnerStaging.edge, auth: staging.edge.auth } as AppRunnerEnvironmentConfig['edge'] }), 'apprunner-staging.edge.auth', staging.edge.auth, 'is not supported with runtime "apprunner": App Runner has no OIDC/Cognito step at the edge; remove edge.auth and protect the service with appRunner.protection ("waf-allow-list" or "basic-auth")'],
  ['App Runner without a protection choice', arService({ protection: undefined as unknown as 'basic-auth' }), 'apprunner-staging.appRunner.protection', undefined, 'must be one of "waf-allow-list", "basic-auth"'],
  ['App Runner allow-list protection without an allow-list', arService({ protection: 'waf-allow-list' }), 'apprunner-staging.waf.allowListCidrs', [], 'must list at least one CIDR with appRunner.protection "waf-allow-list" (otherwise the service would be open to the internet)'],
  ['App Runner min > max', arService({ minSize: 4, maxSize: 2 }), 'apprunner-staging.appRunner.minSize', 4, 'must not exceed appRunner.maxSize (2)'],
  ['App Runner memory for the CPU', arService({ memoryMiB: 8192 }), 'apprunner-staging.appRunner.memoryMiB', 8192, 'is not an App Runner memory size for cpu 1024: allowed 2048, 3072, 4096 MiB'],
  ['App Runner gunicorn timeout vs the 120 s request timeout', arService({ gunicornTimeoutSeconds: 180 }), 'apprunner-staging.appRunner.gunicornTimeoutSeconds', 180, 'must be a whole number from 30 to 119'],
  ['ECS settings on App Runner', { ...apprunnerStaging, apiAccess: { mode: 'apigateway-iam' } } as AppRunnerEnvironmentConfig, 'apprunner-staging.apiAccess', { mode: 'apigateway-iam' }, 'is only used with runtime "ecs"; App Runner is configured in appRunner'],
];

test.each(cases)('%s', (_name, config, path, value, message) => {
  const problems = validateEnvironment(config);
  expect(problems).toContainEqual({ path, value, message });
});

test('every case is reported alone (no collateral problems), so the table pins the message for each rule', () => {
  for (const [name, config, path] of cases) {
    const paths = validateEnvironment(config).map((p) => p.path);
    expect({ name, paths }).toEqual({ name, paths: [path] });
  }
});
