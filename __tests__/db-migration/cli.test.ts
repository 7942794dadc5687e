/**
 * The CLI's input handling and safety checks with a fake psql (no server needed); the real servers
 * are exercised in postgres.integration.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDbCommands } from '../../src/cli/commands/db';
import { main, runCommand } from '../../src/cli/main';
import { DbSnapshot, SessionInfo } from '../../src/db-migration/postgres';
import { RunRequest, RunResult, Runner } from '../../src/db-migration/runner';
import { captureIo, recordingRunner } from './recording-runner';

const SOURCE_PORT = '5433';

interface FakeServers {
  source?: Partial<SessionInfo>;
  target?: Partial<SessionInfo>;
  sourceSnapshot?: Partial<DbSnapshot>;
  targetSnapshot?: Partial<DbSnapshot>;
}

/** psql answering SESSION_SQL and the snapshot query from fixed JSON; source and target told apart by PGPORT. */
function fakePsql(servers: FakeServers): Runner {
  return async (req: RunRequest): Promise<RunResult> => {
    if (req.command !== 'psql') return { code: 1, stdout: '', stderr: `${req.command}: unexpected in this test` };
    const side = req.env.PGPORT === SOURCE_PORT ? 'source' : 'target';
    const sql = req.args[req.args.length - 1];
    const value = sql.includes('pg_stat_ssl')
      ? { serverVersionNum: 150018, ssl: side === 'target', sslVersion: side === 'target' ? 'TLSv1.3' : null, otherSessions: 0, user: 'u', ...servers[side] }
      : {
          schema: 'public',
          tables: side === 'source' ? [{ name: 'alembic_version', rows: 1, columns: [], constraints: [], indexes: [] }] : [],
          sequences: [],
          alembicVersions: side === 'source' ? ['867495a8f9d4'] : null,
          ...(side === 'source' ? servers.sourceSnapshot : servers.targetSnapshot),
        };
    return { code: 0, stdout: `${JSON.stringify(value)}\n`, stderr: '' };
  };
}

const TARGET_FLAGS = ['--target-host', 'db.rds.internal', '--target-user', 'mlflow', '--target-dbname', 'mlflow'];
const ENV = { PATH: process.env.PATH, SOURCE_PGPASSWORD: 'src-pw', TARGET_PGPASSWORD: 'tgt-pw' };

async function run(name: 'migrate' | 'verify', argv: string[], runner: Runner, env: NodeJS.ProcessEnv = ENV, secretString?: string) {
  const rec = recordingRunner({ delegate: runner, secretString });
  const io = captureIo(env);
  const code = await runCommand(makeDbCommands(rec.runner).find((c) => c.path[1] === name)!, argv, io);
  return { code, stdout: io.out(), stderr: io.err(), commands: rec.calls.map((c) => c.command) };
}

describe('mlflow-infra db (CLI)', () => {
  test('registered in the dispatcher; --help documents the exit codes', async () => {
    for (const name of ['migrate', 'verify']) {
      const io = captureIo({});
      expect(await main(['db', name, '--help'], io)).toBe(0);
      expect(io.out()).toContain(`Usage: mlflow-infra db ${name}`);
      expect(io.out()).toMatch(/Exit codes: 0 .*; 1 .*3 (target )?refused.*64 usage error/s);
    }
  });

  test('an unknown flag (e.g. an attempt to pass a password) is a usage error, exit 64', async () => {
    const io = captureIo({});
    expect(await main(['db', 'migrate', '--target-password', 'x'], io)).toBe(64);
    expect(io.err()).toContain("mlflow-infra db migrate: Unknown option '--target-password'");
  });

  test('a target URI with a weak sslmode is refused before anything runs, exit 1', async () => {
    const env = { ...ENV, TARGET_DATABASE_URL: 'postgresql://mlflow:pw@db.rds.internal/mlflow?sslmode=prefer' };
    const res = await run('migrate', [], fakePsql({}), env);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'mlflow-infra db migrate: invalid connection settings:\n' +
        "  - target sslmode 'prefer' (from TARGET_DATABASE_URL) does not guarantee encryption; the target must use one of: require, verify-ca, verify-full\n",
    );
    expect(res.commands).toEqual([]);
  });

  test('all missing settings are reported together, also as JSON', async () => {
    const res = await run('verify', ['--schema', 'public; drop', '--json'], fakePsql({}), {});
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toEqual({
      ok: false,
      refused: false,
      problems: [
        'target host is not set: give --target-host, put it in TARGET_DATABASE_URL or use --target-secret-arn with a secret that has it',
        'target user is not set: give --target-user, put it in TARGET_DATABASE_URL or use --target-secret-arn with a secret that has it',
        'target dbname is not set: give --target-dbname, put it in TARGET_DATABASE_URL or use --target-secret-arn with a secret that has it',
        "--schema 'public; drop' is not a plain identifier (letters, digits, _ and $)",
      ],
    });
  });

  test('a secret without a password is reported by its keys, exit 1', async () => {
    const res = await run('migrate', ['--target-secret-arn', 'mlflow/db'], fakePsql({}), ENV, '{"username":"mlflow","host":"db"}');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("secret mlflow/db has no 'password' (keys present: host, username)");
  });

  test('an unencrypted target session (pg_stat_ssl.ssl = false) is refused, exit 3 (refused: nothing changed), nothing dumped', async () => {
    const res = await run('migrate', TARGET_FLAGS, fakePsql({ target: { ssl: false, sslVersion: null } }));
    expect(res.code).toBe(3);
    expect(res.stderr).toContain(
      'mlflow-infra db migrate: REFUSED: refusing target db.rds.internal:5432/mlflow (user mlflow, sslmode require): the connection is not encrypted (pg_stat_ssl.ssl = false for this session); the target must be reached over SSL',
    );
    expect(res.commands).toEqual(['psql', 'psql', 'psql']);
  });

  test('db verify refuses an unencrypted target too', async () => {
    const res = await run('verify', [...TARGET_FLAGS, '--json'], fakePsql({ target: { ssl: false } }));
    expect(res.code).toBe(3);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, refused: true });
  });

  test('a source that is not an MLflow database is refused, exit 3', async () => {
    const res = await run('migrate', TARGET_FLAGS, fakePsql({ sourceSnapshot: { alembicVersions: null, tables: [] } }));
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('schema public has no alembic_version table, so it is not an MLflow database (wrong --source-dbname or --schema?)');
  });

  test('a target older than the source is refused, exit 3', async () => {
    const res = await run('migrate', TARGET_FLAGS, fakePsql({ target: { serverVersionNum: 140011 } }));
    expect(res.code).toBe(3);
    expect(res.stderr).toContain("PostgreSQL 14 is older than the source's 15; create the RDS instance with engine version >= 15");
  });

  test('other sessions on the source are warned about', async () => {
    const res = await run('migrate', TARGET_FLAGS, fakePsql({ source: { otherSessions: 2 } }));
    expect(res.stderr).toContain('warning: 2 other session(s) connected to the source; stop the MLflow server first');
    // The fake cannot dump: the step fails cleanly with the program's message.
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('FAILED: dump of source localhost:5433/mlflow_db (user mlflow_user, sslmode prefer) failed: pg_dump exited with 1: pg_dump: unexpected in this test');
  });

  test('an existing --dump-file is never overwritten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbtest-'));
    try {
      const file = join(dir, 'mlflow.dump');
      writeFileSync(file, 'previous dump');
      const res = await run('migrate', [...TARGET_FLAGS, '--dump-file', file], fakePsql({}));
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`--dump-file ${file} already exists; choose a new path or delete it`);
      expect(res.commands).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
