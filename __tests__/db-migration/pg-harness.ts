/**
 * Access to the two real PostgreSQL clusters of scripts/ci-postgres.sh for the integration tests:
 * starts (or reuses) them, runs superuser SQL over their private sockets, creates databases.
 * A missing server fails the tests loudly unless MLFLOW_INFRA_ALLOW_NO_POSTGRES=1.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
const SCRIPT = resolve(REPO_ROOT, 'scripts/ci-postgres.sh');

export interface Cluster {
  readonly host: string;
  readonly port: string;
  readonly user: string;
  readonly password: string;
  readonly db: string;
  readonly socketDir: string;
}

export interface Clusters {
  readonly source: Cluster;
  readonly target: Cluster & { readonly ca: string };
}

function parseEnvLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(MLFLOW_INFRA_PG_[A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Starts the clusters; undefined (with a warning) only when MLFLOW_INFRA_ALLOW_NO_POSTGRES=1 and they cannot start. */
export function startClusters(): Clusters | undefined {
  let output: string;
  try {
    output = execFileSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const why = `scripts/ci-postgres.sh start failed: ${e.stderr || e.message}`;
    if (process.env.MLFLOW_INFRA_ALLOW_NO_POSTGRES === '1') {
      process.stderr.write(`WARNING: skipping the PostgreSQL migration tests (MLFLOW_INFRA_ALLOW_NO_POSTGRES=1): ${why}\n`);
      return undefined;
    }
    throw new Error(`${why}\nSet MLFLOW_INFRA_ALLOW_NO_POSTGRES=1 to skip these tests on a machine without PostgreSQL.`);
  }
  const env = parseEnvLines(output);
  const side = (name: 'SOURCE' | 'TARGET'): Cluster => ({
    host: env[`MLFLOW_INFRA_PG_${name}_HOST`],
    port: env[`MLFLOW_INFRA_PG_${name}_PORT`],
    user: env[`MLFLOW_INFRA_PG_${name}_USER`],
    password: env[`MLFLOW_INFRA_PG_${name}_PASSWORD`],
    db: env[`MLFLOW_INFRA_PG_${name}_DB`],
    socketDir: env[`MLFLOW_INFRA_PG_${name}_SOCKET_DIR`],
  });
  return { source: side('SOURCE'), target: { ...side('TARGET'), ca: env.MLFLOW_INFRA_PG_TARGET_CA } };
}

/** Runs SQL as the `postgres` superuser over the cluster's socket; returns unaligned tuples. */
export function adminSql(cluster: Cluster, db: string, sql: string): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
  return execFileSync(
    'psql',
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', cluster.socketDir, '-p', cluster.port, '-U', 'postgres', '-d', db, '-f', '-'],
    { input: sql, encoding: 'utf8', env, stdio: ['pipe', 'pipe', 'pipe'] },
  ).trim();
}

/** Drops (if present) and creates an empty database owned by `owner`. */
export function recreateDatabase(cluster: Cluster, name: string, owner: string, template?: string): void {
  adminSql(cluster, 'postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE);`);
  adminSql(cluster, 'postgres', `CREATE DATABASE "${name}" OWNER "${owner}"${template ? ` TEMPLATE "${template}"` : ''};`);
}
