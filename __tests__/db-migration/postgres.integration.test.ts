/**
 * `mlflow-infra db migrate` / `db verify` against two real PostgreSQL servers
 * (scripts/ci-postgres.sh): the source like the docker-compose database, the target requiring SSL
 * like RDS, loaded with MLflow's schema and realistic rows (mlflow-fixture.ts).
 */
import { existsSync } from 'node:fs';
import { makeDbCommands } from '../../src/cli/commands/db';
import { runCommand } from '../../src/cli/main';
import { sqlLiteral } from '../../src/db-migration/postgres';
import { Runner } from '../../src/db-migration/runner';
import { ALEMBIC_VERSION, METRIC_ROWS, postgresSchemaSql, RUNS, seedSql } from './mlflow-fixture';
import { adminSql, Clusters, recreateDatabase, startClusters } from './pg-harness';
import { captureIo, leakedSecrets, recordingRunner } from './recording-runner';

const clusters: Clusters | undefined = startClusters();
const describeWithPostgres = clusters ? describe : describe.skip;

/** A login role on the target whose password needs every kind of escaping (URI, passfile, SQL). */
const MIGRATOR = 'mlflow_migrator';
const SPECIAL_PASSWORD = `p@ss:w/rd\\'"%20 $ü#?&=`;
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mlflow-db-AbCdEf';

/** Tables whose contents (not only counts) are compared: unicode names, large texts, NaN metrics. */
const CONTENT_TABLES = ['experiments', 'experiment_tags', 'params', 'tags', 'registered_models', 'latest_metrics', 'metrics'];

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG') && !/^(SOURCE|TARGET)_/.test(k)));
  return { ...env, ...extra };
}

async function runDb(name: 'migrate' | 'verify', argv: string[], env: NodeJS.ProcessEnv, runner: Runner) {
  const command = makeDbCommands(runner).find((c) => c.path[1] === name)!;
  const io = captureIo(env);
  const code = await runCommand(command, argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describeWithPostgres('db migrate / db verify against real PostgreSQL', () => {
  const { source, target } = clusters ?? ({} as Clusters);
  const sourceFlags = () => ['--source-host', source.host, '--source-port', source.port, '--source-user', source.user, '--source-dbname', source.db];
  const targetFlags = (db: string, user = MIGRATOR) => ['--target-host', target.host, '--target-port', target.port, '--target-user', user, '--target-dbname', db];
  const envWithPasswords = () => baseEnv({ SOURCE_PGPASSWORD: source.password, TARGET_PGPASSWORD: SPECIAL_PASSWORD });
  const contentDigest = (cluster: typeof source, db: string, table: string) =>
    adminSql(cluster, db, `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM public."${table}" t;`);
  const migrated = 'mlflow_migrated';

  beforeAll(() => {
    recreateDatabase(source, source.db, source.user);
    adminSql(source, source.db, `SET ROLE ${source.user};\n${postgresSchemaSql()}\n${seedSql()}`);
    adminSql(
      target,
      'postgres',
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${MIGRATOR}') THEN CREATE ROLE ${MIGRATOR} LOGIN; END IF; END $$;
       ALTER ROLE ${MIGRATOR} LOGIN NOSUPERUSER CREATEDB PASSWORD ${sqlLiteral(SPECIAL_PASSWORD)};`,
    );
    recreateDatabase(target, migrated, MIGRATOR);
  });

  test('migrates into an empty SSL target (credentials from the stack secret) and verification finds equal counts and alembic version', async () => {
    const secret = JSON.stringify({ username: MIGRATOR, password: SPECIAL_PASSWORD, host: target.host, port: Number(target.port), dbname: migrated, engine: 'postgres' });
    const rec = recordingRunner({ secretString: secret });
    const res = await runDb('migrate', [...sourceFlags(), '--target-secret-arn', SECRET_ARN, '--json'], baseEnv({ SOURCE_PGPASSWORD: source.password }), rec.runner);
    expect(res.stderr).not.toMatch(/FAILED|REFUSED/);
    expect(res.code).toBe(0);

    const report = JSON.parse(res.stdout);
    expect(report.ok).toBe(true);
    expect(report.differences).toEqual([]);
    expect(report.alembicVersion).toEqual({ source: ALEMBIC_VERSION, target: ALEMBIC_VERSION });
    expect(report.tables).toHaveLength(19);
    expect(report.tables.find((t: { name: string }) => t.name === 'metrics')).toEqual({ name: 'metrics', sourceRows: METRIC_ROWS, targetRows: METRIC_ROWS });
    expect(report.tables.find((t: { name: string }) => t.name === 'runs')).toEqual({ name: 'runs', sourceRows: RUNS, targetRows: RUNS });

    // Rows are equal in content too: unicode, 5000-character texts, NaN metrics; sequence position kept.
    for (const table of CONTENT_TABLES) {
      expect([table, contentDigest(target, migrated, table)]).toEqual([table, contentDigest(source, source.db, table)]);
    }
    expect(adminSql(target, migrated, 'SELECT last_value FROM experiments_experiment_id_seq;')).toBe(
      adminSql(source, source.db, 'SELECT last_value FROM experiments_experiment_id_seq;'),
    );
    // --no-owner: everything restored belongs to the restoring (non-superuser) login.
    expect(adminSql(target, migrated, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public';")).toBe(MIGRATOR);

    // Progress: numbered phases and one line per table's data, on stderr.
    for (const phase of ['[1/5] checking source and target', '[2/5] dumping source', '[3/5] restoring into target', '[4/5] analyzing target', '[5/5] verifying']) {
      expect(res.stderr).toContain(phase);
    }
    expect(res.stderr).toContain(`public.metrics: ${METRIC_ROWS} rows`);
    expect(res.stderr).toMatch(/encrypted \(TLSv1\.[23]\)/);

    // The programs and flags the runbook promises.
    const aws = rec.calls.find((c) => c.command === 'aws')!;
    expect(aws.args).toEqual(['secretsmanager', 'get-secret-value', '--secret-id', SECRET_ARN, '--query', 'SecretString', '--output', 'text', '--region', 'eu-west-1']);
    expect(rec.calls.find((c) => c.command === 'pg_dump')!.args).toEqual(expect.arrayContaining(['--format=custom', '--no-owner', '--no-privileges']));
    // Never a password prompt: every PostgreSQL program runs with --no-password.
    for (const call of rec.calls.filter((c) => c.command !== 'aws')) expect([call.command, call.args[0]]).toEqual([call.command, '--no-password']);
    const restore = rec.calls.find((c) => c.command === 'pg_restore')!;
    expect(restore.args).toEqual(expect.arrayContaining(['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction']));
    expect(restore.env.PGSSLMODE).toBe('require');

    // No password on any command line or in any environment; each went through a private 0600 PGPASSFILE, deleted afterwards.
    expect(leakedSecrets(rec.calls, [SPECIAL_PASSWORD, source.password])).toEqual([]);
    const pgCalls = rec.calls.filter((c) => c.command !== 'aws');
    expect(pgCalls.length).toBeGreaterThanOrEqual(8);
    for (const call of pgCalls) expect([call.command, call.passfileMode]).toEqual([call.command, 0o600]);
    const passfiles = new Set(pgCalls.map((c) => c.env.PGPASSFILE));
    expect(passfiles.size).toBe(2);
    for (const file of passfiles) expect(existsSync(file!)).toBe(false);
  });

  test('db verify accepts URIs in SOURCE_DATABASE_URL / TARGET_DATABASE_URL with a percent-encoded special-character password', async () => {
    const enc = encodeURIComponent;
    const env = baseEnv({
      SOURCE_DATABASE_URL: `postgresql://${source.user}:${enc(source.password)}@${source.host}:${source.port}/${source.db}`,
      TARGET_DATABASE_URL: `postgresql://${MIGRATOR}:${enc(SPECIAL_PASSWORD)}@${target.host}:${target.port}/${migrated}?sslmode=verify-full&sslrootcert=${enc(target.ca)}`,
    });
    const rec = recordingRunner();
    const res = await runDb('verify', [], env, rec.runner);
    expect(res.stderr).toBe(`verifying source ${source.host}:${source.port}/${source.db} (user ${source.user}, sslmode prefer) against target ${target.host}:${target.port}/${migrated} (user ${MIGRATOR}, sslmode verify-full)\n`);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^public\\.metrics\\s+${METRIC_ROWS}\\s+${METRIC_ROWS}$`, 'm'));
    const perTable = [...res.stdout.matchAll(/^public\.\w+\s+(\d+)\s+(\d+)$/gm)];
    expect(perTable).toHaveLength(19);
    const total = perTable.reduce((n, m) => n + Number(m[1]), 0);
    expect(res.stdout).toContain(`OK: 19 tables and ${total} rows match, with equal content checksums; columns, constraints, indexes and sequences match;`);
    expect(res.stdout).toContain(`alembic version ${ALEMBIC_VERSION} on both`);
    expect(leakedSecrets(rec.calls, [SPECIAL_PASSWORD, source.password])).toEqual([]);
  });

  test('a wrong password fails with the server\'s message instead of prompting, exit 1', async () => {
    const env = baseEnv({ SOURCE_PGPASSWORD: source.password, TARGET_PGPASSWORD: 'not-the-password' });
    const res = await runDb('verify', [...sourceFlags(), ...targetFlags(migrated)], env, recordingRunner().runner);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      `mlflow-infra db verify: FAILED: query on target ${target.host}:${target.port}/${migrated} (user ${MIGRATOR}, sslmode require) failed: psql exited with 2:`,
    );
    expect(res.stderr).toContain(`password authentication failed for user "${MIGRATOR}"`);
  });

  describe('verification fails loudly on a damaged copy', () => {
    const damaged = async (name: string, damage: string) => {
      recreateDatabase(target, name, MIGRATOR, migrated);
      adminSql(target, name, damage);
      return runDb('verify', [...sourceFlags(), ...targetFlags(name)], envWithPasswords(), recordingRunner().runner);
    };

    test('a missing row is named with both counts', async () => {
      const res = await damaged('mlflow_missing_row', "DELETE FROM metrics WHERE ctid = (SELECT min(ctid) FROM metrics WHERE key = 'auc');");
      expect(res.code).toBe(1);
      expect(res.stdout).toContain('VERIFICATION FAILED: 1 difference between source and target (schema public)');
      expect(res.stdout).toMatch(new RegExp(`^row count\\s+public\\.metrics\\s+${METRIC_ROWS}\\s+${METRIC_ROWS - 1}$`, 'm'));
      expect(res.stdout).toMatch(/^ {2}public\.metrics: first differing row \(key, timestamp, step, run_uuid, value, is_nan\) = \(auc,\d+,\d+,\w+,[^)]+\): source row md5 [0-9a-f]{12}, target missing$/m);
    });

    /** A row's primary key text as PostgreSQL prints a row value, chosen in byte order (the 4th). */
    const keyOf = (table: string, columns: string) =>
      adminSql(source, source.db, `SELECT ROW(${columns})::text FROM public.${table} ORDER BY ROW(${columns})::text COLLATE "C" LIMIT 1 OFFSET 3;`);
    const whereKey = (table: string, columns: string) =>
      `ROW(${columns})::text = (SELECT ROW(${columns})::text FROM public.${table} ORDER BY ROW(${columns})::text COLLATE "C" LIMIT 1 OFFSET 3)`;

    test.each([
      ['a param value', 'params', 'key, run_uuid', "UPDATE params SET value = value || '0' WHERE %KEY%;"],
      ['a run tag (text) value, one character', 'tags', 'key, run_uuid', "UPDATE tags SET value = overlay(value placing 'X' from 2 for 1) WHERE %KEY%;"],
      ['an experiment tag holding a large unicode text', 'experiment_tags', 'key, experiment_id', "UPDATE experiment_tags SET value = reverse(value) WHERE %KEY%;"],
    ])('same counts, changed content: %s is found, with its table and key (exit 1)', async (_what, table, columns, damage) => {
      const res = await damaged(`mlflow_changed_${table}`, damage.replace('%KEY%', whereKey(table, columns)));
      expect(res.code).toBe(1);
      expect(res.stdout).toContain('VERIFICATION FAILED: 1 difference between source and target (schema public)');
      expect(res.stdout).toMatch(new RegExp(`^content\\s+public\\.${table}\\s+checksum -?\\d+/-?\\d+\\s+checksum -?\\d+/-?\\d+$`, 'm'));
      const key = keyOf(table, columns);
      expect(res.stdout).toContain(`  public.${table}: first differing row (${columns}) = ${key}: source row md5 `);
      expect(res.stdout).toMatch(/, target row md5 [0-9a-f]{12}\n/);
    });

    test('a changed metric value (part of the metrics key) is a content difference naming the key only the source has', async () => {
      const res = await damaged('mlflow_changed_metric', `UPDATE metrics SET value = value + 1e-9 WHERE ${whereKey('metrics', 'key, timestamp, step, run_uuid, value, is_nan')};`);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/^content\s+public\.metrics\s/m);
      expect(res.stdout).toMatch(/first differing row \(key, timestamp, step, run_uuid, value, is_nan\) = \(.*\): source (row md5 [0-9a-f]{12}|missing), target (row md5 [0-9a-f]{12}|missing)/);
    });

    test('server settings that change how values print (float digits, time zone, date style) on the target do not make equal data differ', async () => {
      recreateDatabase(target, 'mlflow_other_settings', MIGRATOR, migrated);
      adminSql(target, 'postgres', `ALTER DATABASE mlflow_other_settings SET extra_float_digits = -3; ALTER DATABASE mlflow_other_settings SET TimeZone = 'Pacific/Chatham'; ALTER DATABASE mlflow_other_settings SET DateStyle = 'SQL, DMY';`);
      const res = await runDb('verify', [...sourceFlags(), ...targetFlags('mlflow_other_settings')], envWithPasswords(), recordingRunner().runner);
      expect(res.stdout).toContain('with equal content checksums');
      expect(res.code).toBe(0);
    });


    test('a different alembic version is named with both versions', async () => {
      const res = await damaged('mlflow_other_version', "UPDATE alembic_version SET version_num = '0584bdc529eb';");
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(new RegExp(`^alembic version\\s+public\\.alembic_version\\s+${ALEMBIC_VERSION}\\s+0584bdc529eb$`, 'm'));
    });

    test('a missing table is named (and --json lists it)', async () => {
      recreateDatabase(target, 'mlflow_missing_table', MIGRATOR, migrated);
      adminSql(target, 'mlflow_missing_table', 'DROP TABLE trace_tags;');
      const res = await runDb('verify', [...sourceFlags(), ...targetFlags('mlflow_missing_table'), '--json'], envWithPasswords(), recordingRunner().runner);
      expect(res.code).toBe(1);
      const report = JSON.parse(res.stdout);
      expect(report.ok).toBe(false);
      expect(report.differences).toEqual([{ kind: 'table', object: 'public.trace_tags', source: 'present', target: 'missing' }]);
    });
  });

  describe('refusals (nothing is dumped or restored)', () => {
    test('a non-SSL target: the source server (no SSL) given as target', async () => {
      const rec = recordingRunner();
      const env = baseEnv({ SOURCE_PGPASSWORD: source.password, TARGET_PGPASSWORD: source.password });
      const res = await runDb('migrate', [...sourceFlags(), '--target-host', source.host, '--target-port', source.port, '--target-user', source.user, '--target-dbname', 'postgres'], env, rec.runner);
      expect(res.code).toBe(3);
      expect(res.stderr).toContain(
        `mlflow-infra db migrate: REFUSED: refusing target ${source.host}:${source.port}/postgres (user ${source.user}, sslmode require): the server does not accept SSL connections`,
      );
      expect(rec.calls.map((c) => c.command)).not.toEqual(expect.arrayContaining(['pg_dump']));
      expect(rec.calls.map((c) => c.command)).not.toEqual(expect.arrayContaining(['pg_restore']));
    });

    test('a target that already holds an MLflow database, even with --allow-nonempty', async () => {
      const rec = recordingRunner();
      const res = await runDb('migrate', [...sourceFlags(), ...targetFlags(migrated), '--allow-nonempty'], envWithPasswords(), rec.runner);
      expect(res.code).toBe(3);
      expect(res.stderr).toContain(
        `it already holds an MLflow database (alembic version ${ALEMBIC_VERSION}; 6 experiments, ${RUNS} runs, 2 registered_models). Restoring would mix two databases; --allow-nonempty does not override this.`,
      );
      expect(rec.calls.some((c) => c.command === 'pg_dump' || c.command === 'pg_restore')).toBe(false);
    });

    test('a target with other tables unless --allow-nonempty; a colliding table makes the single-transaction restore roll back', async () => {
      recreateDatabase(target, 'mlflow_nonempty', MIGRATOR);
      adminSql(target, 'mlflow_nonempty', `SET ROLE ${MIGRATOR}; CREATE TABLE audit_log (id int PRIMARY KEY); INSERT INTO audit_log VALUES (1);`);
      const refused = await runDb('migrate', [...sourceFlags(), ...targetFlags('mlflow_nonempty')], envWithPasswords(), recordingRunner().runner);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('schema public is not empty (tables: audit_log). Restore into an empty database, or pass --allow-nonempty');

      const allowed = await runDb('migrate', [...sourceFlags(), ...targetFlags('mlflow_nonempty'), '--allow-nonempty'], envWithPasswords(), recordingRunner().runner);
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).toContain('Not compared (in the target before the restore, accepted with --allow-nonempty): table public.audit_log');

      recreateDatabase(target, 'mlflow_collision', MIGRATOR);
      adminSql(target, 'mlflow_collision', `SET ROLE ${MIGRATOR}; CREATE TABLE runs (x int);`);
      const collided = await runDb('migrate', [...sourceFlags(), ...targetFlags('mlflow_collision'), '--allow-nonempty'], envWithPasswords(), recordingRunner().runner);
      expect(collided.code).toBe(1);
      expect(collided.stderr).toMatch(/FAILED: restore into target .* failed and was rolled back \(single transaction\): pg_restore exited with 1: .*relation "runs" already exists/);
      expect(adminSql(target, 'mlflow_collision', "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public';")).toBe('runs');
    });
  });
});
