/**
 * Moves the MLflow database: preflight checks, `pg_dump -Fc`, `pg_restore` into the empty RDS
 * database in one transaction, ANALYZE, and verification against the (untouched) source.
 *
 *   [1/5] checking source and target   source is an MLflow database; target connection encrypted
 *                                      (pg_stat_ssl), not older than the source, and empty
 *   [2/5] dumping source               pg_dump --format=custom
 *   [3/5] restoring into target        pg_restore --no-owner --no-privileges --exit-on-error --single-transaction
 *   [4/5] analyzing target             ANALYZE (pg_restore does not carry planner statistics)
 *   [5/5] verifying                    {@link compareSnapshots}
 *
 * The source is only read, so rolling back is pointing MLflow at it again. Every program runs with
 * `--no-password`: a missing or wrong password fails instead of prompting on the terminal.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterrupt } from '../interrupt';
import { createEmptyPrivateFile } from '../private-files';
import { ConnectionSpec, CredentialFiles } from './connection';
import { DbMigrationError, DbSnapshot, PgClient } from './postgres';
import { PhaseReporter, VerboseCondenser } from './progress';
import { failureReason, Runner } from './runner';
import { locateFirstDifference } from './locate';
import { compareSnapshots, Difference, Preexisting, VerifyReport } from './verify';

export interface DbEndpoints {
  readonly source: ConnectionSpec;
  readonly target: ConnectionSpec;
  /** The schema MLflow's tables live in (`public` unless the server's search_path says otherwise). */
  readonly schema: string;
  readonly runner: Runner;
  /** The parent environment; children get it without libpq and secret-bearing variables. */
  readonly env: NodeJS.ProcessEnv;
  /** Receives progress text (stderr). */
  readonly progress: (text: string) => void;
}

export interface MigrateOptions extends DbEndpoints {
  /** Keep the dump at this path (must not exist). Default: a temporary file, deleted afterwards. */
  readonly dumpFile?: string;
  /** Allow a target that already has tables, as long as it holds no MLflow database (alembic_version rows). */
  readonly allowNonempty: boolean;
}

export interface MigrateResult {
  readonly report: VerifyReport;
  readonly dumpFile?: string;
  readonly dumpBytes: number;
}

/** The dump file, created private (0600) before pg_dump writes it; an existing file is refused. */
function createDumpFile(file: string): void {
  try {
    createEmptyPrivateFile(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DbMigrationError(
      e.code === 'EEXIST' ? `--dump-file ${file} already exists; choose a new path or delete it` : `cannot create the dump file ${file}: ${e.code ?? e.message}`,
    );
  }
}

const major = (versionNum: number) => Math.floor(versionNum / 10000);
const rowsOf = (snap: DbSnapshot) => snap.tables.reduce((n, t) => n + t.rows, 0);

/** Runs `body` with a client per side; their password files live exactly as long as the call. */
async function withClients<T>(
  opts: DbEndpoints,
  body: (source: PgClient, target: PgClient) => Promise<T>,
): Promise<T> {
  const credentials = new CredentialFiles(opts.env);
  try {
    const source = new PgClient(opts.runner, 'source', opts.source, credentials);
    const target = new PgClient(opts.runner, 'target', opts.target, credentials);
    return await body(source, target);
  } finally {
    credentials.cleanup();
  }
}

/**
 * Reads both snapshots (the target over a verified-SSL session), compares them, and names the first
 * differing row of every table whose rows differ.
 */
async function verifyWith(source: PgClient, target: PgClient, schema: string, preexisting?: Preexisting): Promise<VerifyReport> {
  await target.requireSsl();
  const [s, t] = await Promise.all([source.snapshot(schema), target.snapshot(schema)]);
  const report = compareSnapshots(s, t, preexisting);
  const differences: Difference[] = [];
  for (const d of report.differences) {
    const located = d.kind === 'row count' || d.kind === 'content' ? await locateFirstDifference(source, target, schema, d.object.slice(schema.length + 1)) : undefined;
    differences.push(located ? { ...d, firstRow: located } : d);
  }
  return { ...report, differences };
}

export function verifyDatabases(opts: DbEndpoints): Promise<VerifyReport> {
  return withClients(opts, async (source, target) => {
    opts.progress(`verifying ${source.describe()} against ${target.describe()}\n`);
    return verifyWith(source, target, opts.schema);
  });
}

function refuseTarget(target: PgClient, snap: DbSnapshot, allowNonempty: boolean, schema: string): void {
  if (snap.alembicVersions !== null && snap.alembicVersions.length > 0) {
    const counts = ['experiments', 'runs', 'registered_models']
      .map((name) => snap.tables.find((t) => t.name === name))
      .filter((t) => t !== undefined)
      .map((t) => `${t.rows} ${t.name}`);
    throw new DbMigrationError(
      `refusing ${target.describe()}: it already holds an MLflow database (alembic version ${snap.alembicVersions.join(',')}` +
        `${counts.length > 0 ? `; ${counts.join(', ')}` : ''}). Restoring would mix two databases; --allow-nonempty does not override this. ` +
        `If it is an empty schema an MLflow server created at startup, stop that server and recreate the database (migration/db/README.md, "Target not empty").`,
      'refused',
    );
  }
  if (snap.tables.length > 0 && !allowNonempty) {
    const names = snap.tables.map((t) => t.name);
    const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, ... (${names.length} in all)` : '');
    throw new DbMigrationError(
      `refusing ${target.describe()}: schema ${schema} is not empty (tables: ${shown}). Restore into an empty database, ` +
        `or pass --allow-nonempty if these tables are unrelated to MLflow (a name collision still aborts the restore and rolls it back).`,
      'refused',
    );
  }
}

export function migrateDatabase(opts: MigrateOptions): Promise<MigrateResult> {
  const reporter = new PhaseReporter(5, opts.progress);
  if (opts.dumpFile !== undefined && existsSync(opts.dumpFile)) {
    return Promise.reject(new DbMigrationError(`--dump-file ${opts.dumpFile} already exists; choose a new path or delete it`));
  }
  return withClients(opts, async (source, target) => {
    reporter.phase(1, 'checking source and target');
    const sourceSession = await source.session();
    const sourceSnap = await source.snapshot(opts.schema);
    if (sourceSnap.alembicVersions === null || sourceSnap.alembicVersions.length === 0) {
      throw new DbMigrationError(
        `refusing ${source.describe()}: schema ${opts.schema} has no alembic_version ${sourceSnap.alembicVersions === null ? 'table' : 'row'}, so it is not an MLflow database (wrong --source-dbname or --schema?)`,
        'refused',
      );
    }
    reporter.detail(
      `source: PostgreSQL ${sourceSession.serverVersionNum}, ${sourceSnap.tables.length} tables, ${rowsOf(sourceSnap)} rows, alembic version ${sourceSnap.alembicVersions.join(',')}`,
    );
    if (sourceSession.otherSessions > 0) {
      reporter.detail(
        `warning: ${sourceSession.otherSessions} other session(s) connected to the source; stop the MLflow server first (docker compose stop mlflow), or runs written after the dump are not migrated and verification fails`,
      );
    }
    const targetSession = await target.requireSsl();
    if (major(targetSession.serverVersionNum) < major(sourceSession.serverVersionNum)) {
      throw new DbMigrationError(
        `refusing ${target.describe()}: PostgreSQL ${major(targetSession.serverVersionNum)} is older than the source's ${major(sourceSession.serverVersionNum)}; create the RDS instance with engine version >= ${major(sourceSession.serverVersionNum)}`,
        'refused',
      );
    }
    const targetSnap = await target.snapshot(opts.schema);
    refuseTarget(target, targetSnap, opts.allowNonempty, opts.schema);
    const preexisting: Preexisting = { tables: targetSnap.tables.map((t) => t.name), sequences: targetSnap.sequences.map((q) => q.name) };
    reporter.detail(
      `target: PostgreSQL ${targetSession.serverVersionNum}, encrypted (${targetSession.sslVersion}), schema ${opts.schema} ` +
        (targetSnap.tables.length === 0 ? 'empty' : `has ${targetSnap.tables.length} unrelated table(s), accepted with --allow-nonempty`),
    );

    const rowsByTable = new Map(sourceSnap.tables.map((t) => [`${opts.schema}.${t.name}`, t.rows]));
    // The dump holds every run, param and tag: a private file (0600; a temporary one in a 0700
    // directory), removed on an interruption. A kept --dump-file survives once it is complete.
    const tempDir = opts.dumpFile === undefined ? mkdtempSync(join(tmpdir(), 'mlflow-infra-dump-')) : undefined;
    const dumpFile = opts.dumpFile ?? join(tempDir!, 'mlflow.dump');
    const forgetDump = tempDir
      ? onInterrupt(`the temporary dump in ${tempDir}`, () => rmSync(tempDir, { recursive: true, force: true }))
      : onInterrupt(`the partial dump ${dumpFile}`, () => rmSync(dumpFile, { force: true }));
    try {
      createDumpFile(dumpFile);
      reporter.phase(2, `dumping ${source.describe()}`);
      const dumpLog = new VerboseCondenser('pg_dump', reporter, rowsByTable);
      const dump = await opts.runner({
        command: 'pg_dump',
        args: ['--no-password', '--format=custom', '--verbose', '--no-owner', '--no-privileges', '--file', dumpFile],
        env: source.env,
        onStderrLine: dumpLog.onLine,
      });
      if (dump.code !== 0) throw new DbMigrationError(`dump of ${source.describe()} failed: ${failureReason('pg_dump', dump)}`);
      const dumpBytes = statSync(dumpFile).size;
      if (!tempDir) forgetDump();
      reporter.detail(`dump: ${dumpBytes} bytes${opts.dumpFile !== undefined ? ` in ${dumpFile}` : ''}`);

      reporter.phase(3, `restoring into ${target.describe()}`);
      const restoreLog = new VerboseCondenser('pg_restore', reporter, rowsByTable);
      const restore = await opts.runner({
        command: 'pg_restore',
        args: [
          '--no-password',
          '--verbose',
          '--no-owner',
          '--no-privileges',
          '--exit-on-error',
          '--single-transaction',
          '--dbname',
          opts.target.dbname,
          dumpFile,
        ],
        env: target.env,
        onStderrLine: restoreLog.onLine,
      });
      if (restore.code !== 0) {
        throw new DbMigrationError(
          `restore into ${target.describe()} failed and was rolled back (single transaction): ${failureReason('pg_restore', restore)}`,
        );
      }
      const summary = restoreLog.summary();
      if (summary) reporter.detail(summary);

      reporter.phase(4, 'analyzing target (planner statistics)');
      await target.queryJson<number>('ANALYZE; SELECT 1');

      reporter.phase(5, 'verifying: exact row counts, tables, columns, constraints, indexes, sequences, alembic version');
      const report = await verifyWith(source, target, opts.schema, preexisting);
      return { report, dumpBytes, ...(opts.dumpFile !== undefined ? { dumpFile } : {}) };
    } finally {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      forgetDump();
    }
  });
}
