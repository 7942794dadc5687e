/**
 * The database password and the runtimes that read it once at start: RDS rotates an RDS-managed
 * master password every 7 days, after which the old one is rejected. Every stack must either
 * replace its tasks when that happens (ECS: the container health check logs in to the database,
 * docker/healthcheck.py, proven against PostgreSQL in __tests__/docker/healthcheck.postgres.test.ts)
 * or not have a password that rotates underneath it (App Runner: HTTP/TCP health checks only,
 * secrets resolved at deployment, so a stack-owned password).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { environments } from '../../src/config/environments';
import { isAppRunner } from '../../src/config/types';
import { HEALTH_CHECK_COMMAND, HEALTH_CHECK_SCRIPT, HEALTH_CHECK_TIMING, IMAGE_ENV } from '../../src/image/contract';
import { finalStage } from '../helpers/dockerfile';
import { Json, ref, resource, resourcesOfType, synthStack } from '../helpers/synth';

const rotating = environments.filter((c) => c.database.passwordMode === 'rds-managed');
const appRunner = environments.filter(isAppRunner);

test('the shipped environments have both cases: a rotating password (staging) and App Runner', () => {
  expect(rotating.map((c) => c.name)).toContain('staging');
  expect(appRunner.length).toBeGreaterThan(0);
});

describe.each(rotating.map((c) => [c.stackName, c] as const))('%s (RDS-managed password, rotated every 7 days)', (_name, config) => {
  const stack = synthStack(config);

  test('runs on ECS, where a failing container health check makes the service replace the task', () => {
    expect(isAppRunner(config)).toBe(false);
    expect(Object.keys(resourcesOfType(stack, 'aws_ecs_service'))).toEqual(['mlflow_service']);
  });

  test('the service task reads the RDS-managed secret at start and health-checks with the database-login check', () => {
    const container = JSON.parse(resource(stack, 'aws_ecs_task_definition', 'mlflow_task').container_definitions)[0];
    const secret = container.secrets.find((s: Json) => s.name === IMAGE_ENV.dbPassword).valueFrom as string;
    expect(secret.startsWith(ref('aws_db_instance.database_instance', 'master_user_secret[0].secret_arn')) || secret.startsWith(ref('aws_rds_cluster.database_cluster', 'master_user_secret[0].secret_arn'))).toBe(true);
    expect(container.healthCheck).toEqual({
      command: HEALTH_CHECK_COMMAND,
      interval: HEALTH_CHECK_TIMING.intervalSeconds,
      timeout: HEALTH_CHECK_TIMING.timeoutSeconds,
      retries: HEALTH_CHECK_TIMING.retries,
      startPeriod: HEALTH_CHECK_TIMING.startPeriodSeconds,
    });
    // A rotation is noticed within a few minutes: well before anyone would.
    expect(HEALTH_CHECK_TIMING.intervalSeconds * HEALTH_CHECK_TIMING.retries).toBeLessThanOrEqual(300);
  });
});

test('the health-check command runs docker/healthcheck.py, which the image installs at that path and which logs in to the database', () => {
  expect(HEALTH_CHECK_COMMAND).toEqual(['CMD', 'python', HEALTH_CHECK_SCRIPT]);
  const copies = finalStage().filter((i) => i.keyword === 'COPY').map((i) => i.args);
  expect(copies).toContain(`--chmod=0555 healthcheck.py ${HEALTH_CHECK_SCRIPT}`);
  const script = fs.readFileSync(path.resolve(__dirname, '../../docker/healthcheck.py'), 'utf8');
  expect(script).toContain('psycopg2.connect');
  expect(script).toContain('read_config(env, "db-upgrade")');
});

describe.each(appRunner.map((c) => [c.stackName, c] as const))('%s (App Runner: HTTP/TCP health checks, secrets resolved at deployment)', (_name, config) => {
  const stack = synthStack(config);

  test('the database password is the stack-owned one: nothing rotates it underneath the service', () => {
    expect(config.database.passwordMode).toBe('random');
    for (const cluster of Object.values(resourcesOfType(stack, 'aws_rds_cluster')) as Json[]) {
      expect(cluster.manage_master_user_password).toBeUndefined();
      expect(cluster.master_password).toBe(ref('random_password.database_password', 'result'));
    }
    for (const instance of Object.values(resourcesOfType(stack, 'aws_db_instance')) as Json[]) expect(instance.manage_master_user_password).toBeUndefined();
    expect(resourcesOfType(stack, 'aws_secretsmanager_secret_rotation')).toEqual({});
    const secrets = resource(stack, 'aws_apprunner_service', 'apprunner_service').source_configuration.image_repository.image_configuration.runtime_environment_secrets;
    expect(secrets[IMAGE_ENV.dbPassword]).toBe(`${ref('aws_secretsmanager_secret.database_secret', 'arn')}:password::`);
  });
});
