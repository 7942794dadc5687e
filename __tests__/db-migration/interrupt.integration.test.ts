/**
 * Interrupting `mlflow-infra db migrate` (Ctrl-C, kill, a closed terminal) removes what holds
 * secrets: the password files and the dump. The real CLI runs as a child process against the real
 * source server of scripts/ci-postgres.sh; `pg_dump` is replaced on PATH by a script that writes
 * part of a dump and then waits, so the signal arrives at a known point (mid-dump). Also: a kept
 * `--dump-file` is private (0600) whatever the umask.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresSchemaSql, seedSql } from './mlflow-fixture';
import { adminSql, Clusters, recreateDatabase, REPO_ROOT, startClusters } from './pg-harness';

const clusters: Clusters | undefined = startClusters();
const describeWithPostgres = clusters ? describe : describe.skip;

const FAKE_PG_DUMP = `#!/bin/sh
# Writes a partial custom-format dump to --file, reports progress like pg_dump -v, then waits to be killed.
while [ $# -gt 0 ]; do case "$1" in --file) f="$2"; shift;; esac; shift; done
printf 'PGDMP partial dump with secrets' > "$f"
echo "pg_dump: dumping contents of table \\"public.metrics\\"" >&2
exec sleep 120
`;

describeWithPostgres('interrupting db migrate', () => {
  const { source, target } = clusters ?? ({} as Clusters);
  let work: string;
  let tmp: string;
  let fakeBin: string;

  beforeAll(() => {
    recreateDatabase(source, 'mlflow_interrupt', source.user);
    adminSql(source, 'mlflow_interrupt', `SET ROLE ${source.user};\n${postgresSchemaSql()}\n${seedSql()}`);
    recreateDatabase(target, 'mlflow_interrupt_target', target.user);
  });

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'mlflow-infra-interrupt-test-'));
    tmp = join(work, 'tmp');
    fakeBin = join(work, 'bin');
    mkdirSync(tmp);
    mkdirSync(fakeBin);
    writeFileSync(join(fakeBin, 'pg_dump'), FAKE_PG_DUMP);
    chmodSync(join(fakeBin, 'pg_dump'), 0o755);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const env = (): NodeJS.ProcessEnv => ({
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG') && !/^(SOURCE|TARGET)_/.test(k))),
    PATH: `${fakeBin}:${process.env.PATH}`,
    TMPDIR: tmp,
    SOURCE_PGPASSWORD: source.password,
    TARGET_PGPASSWORD: target.password,
  });
  const args = (extra: string[] = []) => [
    join(REPO_ROOT, 'bin/mlflow-infra.js'),
    'db',
    'migrate',
    '--source-host', source.host, '--source-port', source.port, '--source-user', source.user, '--source-dbname', 'mlflow_interrupt',
    '--target-host', target.host, '--target-port', target.port, '--target-user', target.user, '--target-dbname', 'mlflow_interrupt_target',
    '--target-sslmode', 'require',
    ...extra,
  ];

  /** Starts the CLI, waits until the (fake) dump has started writing, sends `signal`, returns the outcome. */
  async function interruptMidDump(signal: NodeJS.Signals, extra: string[] = []) {
    const child = spawn(process.execPath, args(extra), { cwd: REPO_ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!stderr.includes('[2/5]') || !stderr.includes('public.metrics')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the dump never started:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const leftBehindBefore = readdirSync(tmp);
    child.kill(signal);
    const code = await exited;
    return { code, stderr, leftBehindBefore };
  }

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s mid-dump: exit %i, the password files and the temporary dump are removed and named', async (signal, exitCode) => {
    const res = await interruptMidDump(signal);
    // While it ran, the temp dir held a password directory and a dump directory.
    expect(res.leftBehindBefore.some((n) => n.startsWith('mlflow-infra-pg-'))).toBe(true);
    expect(res.leftBehindBefore.some((n) => n.startsWith('mlflow-infra-dump-'))).toBe(true);
    expect(res.code).toBe(exitCode);
    expect(res.stderr).toMatch(
      new RegExp(`mlflow-infra: interrupted by ${signal}; removed the temporary dump in \\S+/mlflow-infra-dump-\\w+; the password files in \\S+/mlflow-infra-pg-\\w+\\n$`),
    );
    expect(readdirSync(tmp)).toEqual([]);
  });

  test('SIGTERM mid-dump with --dump-file: the partial dump is removed too', async () => {
    const dumpFile = join(work, 'kept.dump');
    const res = await interruptMidDump('SIGTERM', ['--dump-file', dumpFile]);
    expect(res.code).toBe(143);
    expect(res.stderr).toContain(`removed the partial dump ${dumpFile}; the password files in `);
    expect(existsSync(dumpFile)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  test('--dump-file is created 0600 under umask 000 (it holds every run, param and tag)', () => {
    const dumpFile = join(work, 'kept.dump');
    // Real pg_dump this time (no fake on PATH); umask 000 would otherwise give 0666.
    const cmd = ['umask 000 && exec "$0" "$@"', process.execPath, ...args(['--dump-file', dumpFile])];
    const res = spawnSync('sh', ['-c', ...cmd], { cwd: REPO_ROOT, env: { ...env(), PATH: process.env.PATH }, encoding: 'utf8' });
    expect(res.stderr).toContain('[2/5] dumping');
    expect(statSync(dumpFile).size).toBeGreaterThan(1000);
    expect(statSync(dumpFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
