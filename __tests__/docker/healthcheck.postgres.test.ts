/**
 * The database half of the container health check (docker/healthcheck.py) against a real
 * PostgreSQL server that requires SSL like RDS (scripts/ci-postgres.sh, target cluster): healthy
 * while the login works; after `ALTER ROLE ... PASSWORD` (what an RDS master-password rotation
 * does) the same container environment is unhealthy, so ECS replaces the task. An unreachable
 * database or a server that does not answer are the other cases.
 *
 * Needs PostgreSQL (fails loudly unless MLFLOW_INFRA_ALLOW_NO_POSTGRES=1) and psycopg2 (the image
 * has it; `pip install psycopg2-binary`, fails loudly unless MLFLOW_INFRA_ALLOW_NO_SANDBOX=1).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { IMAGE_ENV } from '../../src/image/contract';
import { adminSql, Clusters, startClusters } from '../db-migration/pg-harness';
import { requireSandbox, SandboxPython } from '../helpers/sandbox';

jest.setTimeout(120_000);

const SCRIPT = path.resolve(__dirname, '../../docker/healthcheck.py');
const python: SandboxPython | undefined = requireSandbox(['psycopg2'], 'the health-check test', { pythonOnly: true });
const clusters: Clusters | undefined = python ? startClusters() : undefined;
const pgTest = python && clusters ? test : test.skip;

const role = `hc_${randomBytes(4).toString('hex')}`;
let server: http.Server;
let url: string;

beforeAll(async () => {
  if (!clusters) return;
  adminSql(clusters.target, 'postgres', `CREATE ROLE ${role} LOGIN PASSWORD 'first-password';`);
  server = http.createServer((_req, res) => res.writeHead(200).end('OK'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
});

afterAll(async () => {
  if (server?.listening) await new Promise((resolve) => server.close(resolve));
  if (clusters) adminSql(clusters.target, 'postgres', `DROP ROLE IF EXISTS ${role};`);
});

/** The container's environment as ECS gives it (password injected at task start). */
function containerEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const t = clusters!.target;
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    [IMAGE_ENV.dbHost]: t.host,
    [IMAGE_ENV.dbPort]: t.port,
    [IMAGE_ENV.dbName]: t.db,
    [IMAGE_ENV.dbUser]: role,
    [IMAGE_ENV.dbPassword]: 'first-password',
    [IMAGE_ENV.dbSslMode]: 'require',
    ...overrides,
  };
}

/** Runs the check as ECS does (asynchronously: the HTTP server above lives in this process). */
function healthCheck(env: Record<string, string>, checkUrl = url): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python!.executable, [SCRIPT, '--url', checkUrl], { env, timeout: 30_000 });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: out }));
  });
}

pgTest('healthy while the database accepts the password the task started with', async () => {
  const r = await healthCheck(containerEnv());
  expect(r.stdout).toMatch(/^healthy: server: .* answered 200; database: login accepted$/m);
  expect(r.status).toBe(0);
});

pgTest('after the password is rotated (ALTER ROLE ... PASSWORD), the same environment is unhealthy: ECS replaces the task', async () => {
  adminSql(clusters!.target, 'postgres', `ALTER ROLE ${role} PASSWORD 'rotated-password';`);
  const stale = await healthCheck(containerEnv());
  expect(stale.stdout).toContain(`unhealthy: server: ${url} answered 200; database: login rejected for user '${role}'`);
  expect(stale.status).toBe(1);
  // A replacement task reads the current secret and is healthy again.
  const replacement = await healthCheck(containerEnv({ [IMAGE_ENV.dbPassword]: 'rotated-password' }));
  expect(replacement.status).toBe(0);
});

pgTest('an unreachable database does not fail the check (a new task would not reach it either)', () => {
  const closed = net.createServer();
  return new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve)).then(async () => {
    const port = String((closed.address() as net.AddressInfo).port);
    await new Promise((resolve) => closed.close(resolve));
    const r = await healthCheck(containerEnv({ [IMAGE_ENV.dbPort]: port }));
    expect(r.stdout).toMatch(/^healthy: .*database: not reachable, not counted against this task/m);
    expect(r.status).toBe(0);
  });
});

pgTest('a server that does not answer is unhealthy, whatever the database says', async () => {
  const r = await healthCheck(containerEnv({ [IMAGE_ENV.dbPassword]: 'rotated-password' }), 'http://127.0.0.1:9/');
  expect(r.stdout).toMatch(/^unhealthy: server: no answer on http:\/\/127\.0\.0\.1:9\//m);
  expect(r.status).toBe(1);
});

pgTest('an environment the entrypoint would refuse is unhealthy, naming the variable', async () => {
  const r = await healthCheck(containerEnv({ [IMAGE_ENV.dbSslMode]: 'disable' }));
  expect(r.stdout).toContain(`unhealthy: 1 problem(s) in the environment: ${IMAGE_ENV.dbSslMode}:`);
  expect(r.status).toBe(1);
});
