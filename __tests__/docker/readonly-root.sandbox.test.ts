/**
 * The real parts of "it must start": the image's entrypoint starts the server command (gunicorn
 * with the options MLflow 2.18 passes it; a stand-in `mlflow.cli` serves a trivial WSGI app because
 * MLflow is not installable here) as the task runs it: uid:gid 10001:10001, read-only root, only
 * /tmp writable. With /tmp as Fargate makes a bind mount the image does not declare (root-owned
 * 0755) every worker fails ("No usable temporary directory found"); with the owner and mode the
 * image declares for /tmp (docker/Dockerfile) the server answers.
 *
 * Needs root, bubblewrap and gunicorn (.ci/run installs them); fails loudly without them unless
 * MLFLOW_INFRA_ALLOW_NO_SANDBOX=1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mlflowEnvironment } from '../../src/constructs/mlflow-runtime';
import { production } from '../../src/config/environments/production';
import { CONTAINER_PORT, IMAGE_ENV, IMAGE_USER, WRITABLE_DIR } from '../../src/image/contract';
import { finalStage, imageDirectories } from '../helpers/dockerfile';
import { ownedDir, publicDir, removeDir, requireSandbox, runInSandbox, SandboxPython } from '../helpers/sandbox';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const [UID, GID] = IMAGE_USER.split(':').map(Number);

interface ProbeResult {
  answered: boolean;
  status: number | null;
  exitCode: number | null;
  output: string;
  uid: number;
  gid: number;
  rootWritable: boolean;
  healthCheck: { exitCode: number; output: string } | null;
}

// Throws (the suite fails) when a part is missing, unless MLFLOW_INFRA_ALLOW_NO_SANDBOX=1: then skipped.
const python: SandboxPython | undefined = requireSandbox(['gunicorn', 'psycopg2'], 'the read-only-root start test');
const sandboxTest = python ? test : test.skip;
let appDir: string;
let tmpParent: string;

beforeAll(() => {
  if (!python) return;
  appDir = publicDir();
  for (const f of ['app.py', 'probe.py']) fs.copyFileSync(path.join(__dirname, 'sandbox', f), path.join(appDir, f));
  // The stand-in `mlflow` package (the entrypoint imports mlflow.cli in a re-executed interpreter).
  fs.mkdirSync(path.join(appDir, 'mlflow'), { mode: 0o755 });
  for (const f of ['__init__.py', 'cli.py']) fs.copyFileSync(path.join(__dirname, 'sandbox', 'mlflow', f), path.join(appDir, 'mlflow', f));
  fs.copyFileSync(path.join(ROOT, 'docker/entrypoint.py'), path.join(appDir, 'entrypoint.py'));
  fs.copyFileSync(path.join(ROOT, 'docker/healthcheck.py'), path.join(appDir, 'healthcheck.py'));
  // The task's environment (src/constructs/mlflow-runtime.ts) with literal values, the injected
  // password, and PATH as in the image (the stand-in `mlflow` first, then this Python).
  const environment = mlflowEnvironment({
    database: { host: 'mlflow-db.internal', port: 5432, name: 'mlflow_db', username: 'mlflow_user', secretArn: 'arn:unused' },
    artifacts: production.artifacts,
    bucketName: production.artifacts.bucketName,
    gunicornWorkers: 2,
    gunicornTimeoutSeconds: 120,
    region: production.region,
  });
  const env = { ...environment, [IMAGE_ENV.dbPassword]: 'not-a-real-password', PROBE_HEALTHCHECK: '/srv/app/healthcheck.py', PYTHONPATH: '/srv/app', PATH: `/srv/app:${path.dirname(python.executable)}:/usr/local/bin:/usr/bin:/bin` };
  fs.writeFileSync(path.join(appDir, 'env.json'), JSON.stringify(env));
  for (const f of fs.readdirSync(appDir)) fs.chmodSync(path.join(appDir, f), f === 'mlflow' ? 0o755 : 0o644);
  for (const f of fs.readdirSync(path.join(appDir, 'mlflow'))) fs.chmodSync(path.join(appDir, 'mlflow', f), 0o644);
  tmpParent = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-sandbox-tmp-'));
});

afterAll(() => {
  if (appDir) removeDir(appDir);
  if (tmpParent) removeDir(tmpParent);
});

function startServer(tmpDir: string): ProbeResult {
  const r = runInSandbox({
    python: python!,
    uid: UID,
    gid: GID,
    tmpDir,
    appDir,
    argv: ['python', '/srv/app/probe.py', '/srv/app/env.json', '/srv/app/entrypoint.py', '30'],
    timeoutMs: 90_000,
  });
  if (r.status !== 0) throw new Error(`the sandbox did not run (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ProbeResult;
}

sandboxTest(`the environment gives HOME=${WRITABLE_DIR} and the server listens on ${CONTAINER_PORT} (what the probe waits for)`, () => {
  const env = JSON.parse(fs.readFileSync(path.join(appDir, 'env.json'), 'utf8'));
  expect(env.HOME).toBe(WRITABLE_DIR);
  expect(fs.readFileSync(path.join(appDir, 'probe.py'), 'utf8')).toContain('"PROBE_PORT", "5000"');
});

sandboxTest('with /tmp as Fargate mounts an undeclared path (root-owned 0755), the server never starts: "No usable temporary directory found"', () => {
  const result = startServer(ownedDir(tmpParent, 'fargate-default', 0, 0, 0o755));
  expect(result.answered).toBe(false);
  expect(result.exitCode).not.toBe(0);
  expect(result.exitCode).not.toBeNull();
  expect(result.output).toContain('No usable temporary directory found');
  expect({ uid: result.uid, gid: result.gid, rootWritable: result.rootWritable }).toEqual({ uid: UID, gid: GID, rootWritable: false });
});

sandboxTest('with /tmp as the image declares it (owner and mode from docker/Dockerfile), the server answers 200', () => {
  const declared = imageDirectories(finalStage()).find((d) => d.path === WRITABLE_DIR);
  expect(declared).toBeDefined();
  const result = startServer(ownedDir(tmpParent, 'image-declared', declared!.uid, declared!.gid, declared!.mode));
  expect({ answered: result.answered, status: result.status }).toEqual({ answered: true, status: 200 });
  expect(result.output).toContain('mlflow-entrypoint: exec');
  expect(result.output).toMatch(/Booting worker with pid/);
  // The container health check runs as the container user over the read-only root too (no
  // database in the sandbox's network: not counted, see healthcheck.postgres.test.ts).
  expect(result.healthCheck?.output).toMatch(/^healthy: server: http:\/\/127\.0\.0\.1:5000\/ answered 200; database: not reachable/);
  expect(result.healthCheck?.exitCode).toBe(0);
  expect({ uid: result.uid, gid: result.gid, rootWritable: result.rootWritable }).toEqual({ uid: UID, gid: GID, rootWritable: false });
});
