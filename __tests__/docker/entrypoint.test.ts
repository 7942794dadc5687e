/**
 * docker/entrypoint.py, run as the image runs it (`python3 docker/entrypoint.py`) with a controlled
 * environment. `--print-command` / MLFLOW_ENTRYPOINT_DRY_RUN show the masked argv; the real exec
 * path runs a fake `mlflow` (and a fake `psycopg2`) that record what they were given.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONTAINER_PORT, IMAGE_ENV, WRITABLE_DIR } from '../../src/image/contract';

const ROOT = path.resolve(__dirname, '../..');
const ENTRYPOINT = path.join(ROOT, 'docker/entrypoint.py');
const SPECIAL_PASSWORD = 'p@ss:w/rd#%?&';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The minimal valid environment of a server task. */
function baseEnv(): Record<string, string> {
  return {
    [IMAGE_ENV.dbHost]: 'mlflow.abc123.us-east-1.rds.amazonaws.com',
    [IMAGE_ENV.dbName]: 'mlflow_db',
    [IMAGE_ENV.dbUser]: 'mlflow_user',
    [IMAGE_ENV.dbPassword]: SPECIAL_PASSWORD,
    [IMAGE_ENV.artifactsBucket]: 'fraud-scoring-models-123456789012',
    [IMAGE_ENV.artifactsPrefix]: 'mlflow-artifacts/',
  };
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entrypoint-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string>): Run {
  const res = spawnSync('python3', [ENTRYPOINT, ...args], {
    // Only what the test sets, plus PATH to find python3: nothing leaks in from the developer's shell.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

function dryRun(env: Record<string, string>, args: string[] = []): { argv: string[]; plan: Record<string, unknown>; res: Run } {
  const res = run([...args, '--print-command'], env);
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  const plan = JSON.parse(res.stdout) as Record<string, unknown>;
  return { argv: plan.argv as string[], plan, res };
}

interface Recorded {
  /** The arguments `mlflow` received (mlflow.cli's cli.main). */
  argv: string[];
  authConfigPath: string | null;
  /** /proc/self/cmdline of the process running MLflow, NUL-separated arguments. */
  cmdline: string[];
  /** os.environ and /proc/self/environ of that process. */
  environ: Record<string, string>;
  procEnviron: string;
}

/**
 * A fake `mlflow` package on PYTHONPATH (the image runs `mlflow.cli.cli` in the re-executed
 * interpreter) that records what it was given and how the process looks from outside, then exits 0.
 */
function fakeMlflowEnv(): { env: Record<string, string>; recorded: () => Recorded } {
  const dir = path.join(tmp, 'py');
  fs.mkdirSync(path.join(dir, 'mlflow'), { recursive: true });
  const log = path.join(tmp, 'mlflow-argv.json');
  fs.writeFileSync(path.join(dir, 'mlflow', '__init__.py'), '');
  fs.writeFileSync(
    path.join(dir, 'mlflow', 'cli.py'),
    [
      'import json, os',
      'class _Cli:',
      '    def main(self, args, prog_name):',
      '        assert prog_name == "mlflow"',
      '        with open("/proc/self/cmdline", "rb") as f:',
      '            cmdline = [a.decode() for a in f.read().split(b"\\0") if a]',
      '        with open("/proc/self/environ", "rb") as f:',
      '            proc_environ = f.read().decode("utf-8", "replace")',
      `        with open(${JSON.stringify(log)}, "w") as f:`,
      '            json.dump({"argv": args, "authConfigPath": os.environ.get("MLFLOW_AUTH_CONFIG_PATH"), "cmdline": cmdline,',
      '                       "environ": dict(os.environ), "procEnviron": proc_environ}, f)',
      '        raise SystemExit(0)',
      'cli = _Cli()',
      '',
    ].join('\n'),
  );
  return {
    env: { PYTHONPATH: dir },
    recorded: () => JSON.parse(fs.readFileSync(log, 'utf8')),
  };
}

/** Decodes the userinfo of a URI the way the server side does (Python's urllib.parse). */
function pythonUserinfo(uri: string): { user: string; password: string; database: string; query: string } {
  const code = [
    'import json, sys',
    'from urllib.parse import urlsplit, unquote',
    'u = urlsplit(sys.argv[1])',
    'print(json.dumps({"user": unquote(u.username), "password": unquote(u.password), "database": unquote(u.path[1:]), "query": u.query}))',
  ].join('\n');
  const res = spawnSync('python3', ['-c', code, uri], { encoding: 'utf8' });
  expect(res.status).toBe(0);
  return JSON.parse(res.stdout);
}

function valueOf(argv: string[], flag: string): string {
  const i = argv.indexOf(flag);
  expect(i).toBeGreaterThan(-1);
  return argv[i + 1];
}

describe('server mode', () => {
  test('proxied artifacts (the default): exact argv, masked password, listens on 0.0.0.0 and the contract port', () => {
    const { argv } = dryRun(baseEnv());
    expect(argv).toEqual([
      'mlflow', 'server',
      '--backend-store-uri', 'postgresql://mlflow_user:***@mlflow.abc123.us-east-1.rds.amazonaws.com:5432/mlflow_db?sslmode=require',
      '--host', '0.0.0.0',
      '--port', String(CONTAINER_PORT),
      '--workers', '4',
      '--gunicorn-opts', '--timeout 120',
      '--serve-artifacts', '--artifacts-destination', 's3://fraud-scoring-models-123456789012/mlflow-artifacts',
    ]);
  });

  test('direct artifacts: --default-artifact-root and --no-serve-artifacts, never --artifacts-destination', () => {
    const { argv } = dryRun({ ...baseEnv(), [IMAGE_ENV.artifactsMode]: 'direct' });
    expect(valueOf(argv, '--default-artifact-root')).toBe('s3://fraud-scoring-models-123456789012/mlflow-artifacts');
    expect(argv).toContain('--no-serve-artifacts');
    expect(argv).not.toContain('--serve-artifacts');
    expect(argv).not.toContain('--artifacts-destination');
  });

  test('an empty prefix stores at the bucket root; slashes around the prefix are normalised', () => {
    const noPrefix = baseEnv();
    delete noPrefix[IMAGE_ENV.artifactsPrefix];
    expect(valueOf(dryRun(noPrefix).argv, '--artifacts-destination')).toBe('s3://fraud-scoring-models-123456789012');
    const slashes = { ...baseEnv(), [IMAGE_ENV.artifactsPrefix]: '/team/mlflow/' };
    expect(valueOf(dryRun(slashes).argv, '--artifacts-destination')).toBe('s3://fraud-scoring-models-123456789012/team/mlflow');
  });

  test('gunicorn workers and timeout come from the environment', () => {
    const { argv } = dryRun({ ...baseEnv(), [IMAGE_ENV.gunicornWorkers]: '3', [IMAGE_ENV.gunicornTimeout]: '90' });
    expect(valueOf(argv, '--workers')).toBe('3');
    expect(valueOf(argv, '--gunicorn-opts')).toBe('--timeout 90');
  });

  test('port defaults to 5432 and follows MLFLOW_DB_PORT', () => {
    expect(valueOf(dryRun(baseEnv()).argv, '--backend-store-uri')).toContain('.com:5432/');
    const { argv } = dryRun({ ...baseEnv(), [IMAGE_ENV.dbPort]: '6543' });
    expect(valueOf(argv, '--backend-store-uri')).toContain('.com:6543/mlflow_db');
  });

  test('MLFLOW_ENTRYPOINT_DRY_RUN=1 is the same as --print-command', () => {
    const viaFlag = dryRun(baseEnv()).res.stdout;
    const viaEnv = run([], { ...baseEnv(), MLFLOW_ENTRYPOINT_DRY_RUN: '1' });
    expect(viaEnv.status).toBe(0);
    expect(viaEnv.stdout).toBe(viaFlag);
  });
});

describe('database URI and the password', () => {
  test.each(['require', 'verify-ca', 'verify-full'])('sslmode=%s is accepted and passed on', (mode) => {
    const { argv } = dryRun({ ...baseEnv(), [IMAGE_ENV.dbSslMode]: mode });
    expect(valueOf(argv, '--backend-store-uri').endsWith(`?sslmode=${mode}`)).toBe(true);
  });

  test.each(['disable', 'allow', 'prefer'])('sslmode=%s is refused (exit 2)', (mode) => {
    const res = run([], { ...baseEnv(), [IMAGE_ENV.dbSslMode]: mode });
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(
      `  - MLFLOW_DB_SSLMODE: '${mode}' is refused because it allows an unencrypted connection; allowed: require, verify-ca, verify-full\n`,
    );
  });

  test('an unknown sslmode is rejected', () => {
    const res = run([], { ...baseEnv(), [IMAGE_ENV.dbSslMode]: 'required' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("  - MLFLOW_DB_SSLMODE: 'required' is not an sslmode; allowed: require, verify-ca, verify-full\n");
  });

  test.each([SPECIAL_PASSWORD, 'a b+c=d', "q'\"$(id)`;|", 'ünï€ödé', '%41%%', 'x'.repeat(128)])(
    'password %j reaches mlflow intact (URL-encoded, decoded by urllib) and is never printed',
    (password) => {
      const fake = fakeMlflowEnv();
      const user = 'ml user@corp';
      const res = run([], { ...baseEnv(), [IMAGE_ENV.dbPassword]: password, [IMAGE_ENV.dbUser]: user, ...fake.env });
      expect(res.status).toBe(0);
      const { argv } = fake.recorded();
      const uri = valueOf(argv, '--backend-store-uri');
      // user and password are encoded with safe='': no reserved character survives in the userinfo.
      const userinfo = uri.slice('postgresql://'.length, uri.lastIndexOf('@'));
      expect(userinfo).toMatch(/^[A-Za-z0-9_.~%-]+:[A-Za-z0-9_.~%-]+$/);
      expect(pythonUserinfo(uri)).toEqual({ user, password, database: 'mlflow_db', query: 'sslmode=require' });
      const encoded = encodeURIComponent(password);
      for (const out of [res.stdout, res.stderr]) {
        expect(out).not.toContain(password);
        expect(out).not.toContain(encoded);
      }
      expect(res.stderr).toContain('postgresql://ml%20user%40corp:***@');
    },
  );

  test('the masked dry-run output contains neither the raw nor the encoded password', () => {
    const { res } = dryRun(baseEnv());
    expect(res.stdout).toContain(':***@');
    expect(res.stdout).not.toContain(SPECIAL_PASSWORD);
    expect(res.stdout).not.toContain(encodeURIComponent(SPECIAL_PASSWORD));
    expect(res.stdout).not.toContain('p%40ss');
  });
});

describe('the password stays out of command lines, environments and logs (issue 13)', () => {
  test.each([
    ['server', baseEnv()],
    ['db-upgrade', baseEnv()],
  ])('%s: MLflow gets the real URI, but its process has the password in neither argv nor the environment', (mode, env) => {
    const fake = fakeMlflowEnv();
    const res = run([mode], { ...env, ...fake.env });
    expect(res.status).toBe(0);
    const rec = fake.recorded();
    const uri = mode === 'server' ? valueOf(rec.argv, '--backend-store-uri') : rec.argv[2];
    expect(pythonUserinfo(uri).password).toBe(SPECIAL_PASSWORD);
    expect(rec.cmdline.slice(1)).toEqual([ENTRYPOINT, '--launch-fd', expect.stringMatching(/^\d+$/)]);
    const encoded = encodeURIComponent(SPECIAL_PASSWORD);
    for (const seen of [rec.cmdline.join(' '), JSON.stringify(rec.environ), rec.procEnviron]) {
      expect(seen).not.toContain(SPECIAL_PASSWORD);
      expect(seen).not.toContain(encoded);
    }
    expect(rec.environ).not.toHaveProperty(IMAGE_ENV.dbPassword);
    expect(rec.environ[IMAGE_ENV.dbHost]).toBe(env[IMAGE_ENV.dbHost]);
  });

  test('basic-auth: the admin password is removed from the environment too (the ini file carries it)', () => {
    const fake = fakeMlflowEnv();
    const ini = path.join(tmp, 'auth', 'basic_auth.ini');
    fs.mkdirSync(path.join(tmp, 'py', 'psycopg2'), { recursive: true });
    fs.writeFileSync(
      path.join(tmp, 'py', 'psycopg2', '__init__.py'),
      ['class Error(Exception): pass', 'class _C:', '    autocommit = False', '    def cursor(self): return self', '    def __enter__(self): return self', '    def __exit__(self, *a): return False', '    def execute(self, *a): pass', '    def fetchone(self): return (1,)', '    def close(self): pass', 'def connect(**kw): return _C()', ''].join('\n'),
    );
    const env = { ...baseEnv(), [IMAGE_ENV.authMode]: 'basic-auth', [IMAGE_ENV.authAdminPassword]: 'Adm1nSecretValue', MLFLOW_AUTH_CONFIG_PATH: ini, ...fake.env };
    const res = run([], env);
    expect(res.status).toBe(0);
    const rec = fake.recorded();
    expect(rec.authConfigPath).toBe(ini);
    expect(rec.environ).not.toHaveProperty(IMAGE_ENV.authAdminPassword);
    expect(rec.procEnviron).not.toContain('Adm1nSecretValue');
    expect(rec.cmdline.join(' ')).not.toContain('Adm1nSecretValue');
  });

  test('the dry run names the variables removed from the MLflow process environment', () => {
    const { plan } = dryRun({ ...baseEnv(), [IMAGE_ENV.authMode]: 'basic-auth', [IMAGE_ENV.authAdminPassword]: 'x', MLFLOW_AUTH_CONFIG_PATH: path.join(tmp, 'a.ini') });
    expect(plan.removedFromEnvironment).toEqual([IMAGE_ENV.authAdminPassword, IMAGE_ENV.dbPassword]);
  });

  test('a credential URI put in MLFLOW_DB_HOST is refused with its password masked', () => {
    const res = run([], { ...baseEnv(), [IMAGE_ENV.dbHost]: 'postgresql://mlflow_user:hunter2@db.internal:5432/mlflow' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("  - MLFLOW_DB_HOST: 'postgresql://mlflow_user:***@db.internal:5432/mlflow' is not a host name or IP address\n");
    expect(res.stderr).not.toContain('hunter2');
  });

  test.each([
    [IMAGE_ENV.dbName, 'user:p@ss@word@host'],
    [IMAGE_ENV.artifactsBucket, 's3://AKIA:wJalrXUtnFEMI/K7MDENG@bucket'],
    [IMAGE_ENV.artifactsPrefix, 'redis://:t0ps3cret@cache/0'],
    [IMAGE_ENV.dbPort, 'x:t0ps3cret@5432'],
    [IMAGE_ENV.dbSslMode, 'require:t0ps3cret@x'],
  ])('%s: an echoed value never shows the password part of %j', (name, value) => {
    const res = run([], { ...baseEnv(), [name]: value });
    expect(res.status).toBe(2);
    const line = res.stderr.split('\n').find((l) => l.startsWith(`  - ${name}: `))!;
    expect(line).toContain(':***@');
    for (const secret of ['p@ss', 'wJalr', 't0ps3cret']) expect(res.stderr).not.toContain(secret);
  });

  test('echoed values are cut and control characters escaped (no forged log lines)', () => {
    const value = `evil\n  - MLFLOW_FAKE: ok ${'x'.repeat(200)}`;
    const res = run([], { ...baseEnv(), [IMAGE_ENV.dbHost]: value });
    expect(res.status).toBe(2);
    const lines = res.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}- MLFLOW_DB_HOST: 'evil\\n {2}- MLFLOW_FAKE: ok x+\.\.\. \((\d+) characters\)' is not a host name or IP address$/);
    expect(lines[0]).toContain(`... (${value.length} characters)`);
  });
});

describe('fail fast: every problem at once, exit 2', () => {
  test('an empty environment lists every required variable', () => {
    const res = run([], {});
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(
      [
        'mlflow-entrypoint: cannot start (server): 5 problem(s) in the environment:',
        '  - MLFLOW_DB_HOST: required but not set',
        '  - MLFLOW_DB_NAME: required but not set',
        '  - MLFLOW_DB_USER: required but not set',
        '  - MLFLOW_DB_PASSWORD: required but not set',
        '  - MLFLOW_ARTIFACTS_BUCKET: required but not set',
        '',
      ].join('\n'),
    );
  });

  test('invalid values are all reported together, with the value and what is allowed', () => {
    const res = run([], {
      ...baseEnv(),
      [IMAGE_ENV.dbHost]: 'bad host;rm',
      [IMAGE_ENV.dbPort]: '99999',
      [IMAGE_ENV.artifactsMode]: 'mirror',
      [IMAGE_ENV.artifactsBucket]: 'Bad_Bucket',
      [IMAGE_ENV.artifactsPrefix]: 'a/../b',
      [IMAGE_ENV.gunicornWorkers]: '0',
      [IMAGE_ENV.gunicornTimeout]: '2m',
      [IMAGE_ENV.authMode]: 'oidc',
    });
    expect(res.status).toBe(2);
    expect(res.stderr.split('\n').filter((l) => l.startsWith('  - '))).toEqual([
      "  - MLFLOW_DB_HOST: 'bad host;rm' is not a host name or IP address",
      "  - MLFLOW_DB_PORT: '99999' is not an integer between 1 and 65535",
      "  - MLFLOW_AUTH: 'oidc' is not supported; allowed: none, basic-auth",
      "  - MLFLOW_ARTIFACTS_MODE: 'mirror' is not supported; allowed: proxied, direct",
      "  - MLFLOW_ARTIFACTS_BUCKET: 'Bad_Bucket' is not a valid S3 bucket name",
      "  - MLFLOW_ARTIFACTS_PREFIX: 'a/../b' is not a safe S3 key prefix (letters, digits and !_.*'()/=+- only, no '..' segment)",
      "  - MLFLOW_GUNICORN_WORKERS: '0' is not an integer between 1 and 64",
      "  - MLFLOW_GUNICORN_TIMEOUT: '2m' is not an integer between 1 and 3600",
    ]);
    expect(res.stderr.startsWith('mlflow-entrypoint: cannot start (server): 8 problem(s) in the environment:\n')).toBe(true);
  });

  test('a password with a line break is refused (it would corrupt the auth config) and not echoed', () => {
    const res = run([], { ...baseEnv(), [IMAGE_ENV.dbPassword]: 'abc\ndef' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('  - MLFLOW_DB_PASSWORD: must not contain line breaks or NUL characters\n');
    expect(res.stderr).not.toContain('abc');
  });

  test('unexpected arguments exit 2 with the usage line', () => {
    const res = run(['serve'], baseEnv());
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('expected [server|db-upgrade] [--print-command]');
    expect(run(['--verbose'], baseEnv()).status).toBe(2);
  });

  test('--help exits 0 and names both modes', () => {
    const res = run(['--help'], {});
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('db-upgrade');
    expect(res.stdout).toContain('--print-command');
  });
});

describe('basic-auth', () => {
  function authEnv(): Record<string, string> {
    return {
      ...baseEnv(),
      [IMAGE_ENV.authMode]: 'basic-auth',
      [IMAGE_ENV.authAdminPassword]: 'Adm1n%pass;#word',
      MLFLOW_AUTH_CONFIG_PATH: path.join(tmp, 'auth', 'basic_auth.ini'),
    };
  }

  test('adds --app-name basic-auth and writes a 0600 ini with the 2.18 keys', () => {
    const { argv, plan } = dryRun(authEnv());
    expect(argv.slice(-2)).toEqual(['--app-name', 'basic-auth']);
    const iniPath = path.join(tmp, 'auth', 'basic_auth.ini');
    expect(plan.authConfigPath).toBe(iniPath);
    expect(plan.ensureDatabase).toBe('mlflow_db_auth');
    expect(fs.statSync(iniPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(iniPath)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(iniPath, 'utf8')).toBe(
      [
        '[mlflow]',
        'default_permission = READ',
        'database_uri = postgresql://mlflow_user:p%%40ss%%3Aw%%2Frd%%23%%25%%3F%%26@mlflow.abc123.us-east-1.rds.amazonaws.com:5432/mlflow_db_auth?sslmode=require',
        'admin_username = admin',
        'admin_password = Adm1n%%pass;#word',
        'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
        '',
      ].join('\n'),
    );
  });

  test('MLflow reading the ini with configparser.ConfigParser gets back the real URI and admin password', () => {
    dryRun(authEnv());
    const code = [
      'import configparser, json, sys',
      'c = configparser.ConfigParser()',
      'c.read(sys.argv[1])',
      'print(json.dumps(dict(c["mlflow"])))',
    ].join('\n');
    const res = spawnSync('python3', ['-c', code, path.join(tmp, 'auth', 'basic_auth.ini')], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    const section = JSON.parse(res.stdout) as Record<string, string>;
    expect(section.admin_password).toBe('Adm1n%pass;#word');
    expect(section.admin_username).toBe('admin');
    // Same server, user, password and sslmode as the tracking store; its own database.
    expect(pythonUserinfo(section.database_uri)).toEqual({
      user: 'mlflow_user',
      password: SPECIAL_PASSWORD,
      database: 'mlflow_db_auth',
      query: 'sslmode=require',
    });
  });

  test('the exec hands MLFLOW_AUTH_CONFIG_PATH to mlflow', () => {
    const fake = fakeMlflowEnv();
    const pyPath = fakePsycopg2(false);
    const res = run([], { ...authEnv(), ...fake.env, PYTHONPATH: pyPath.dir });
    expect(res.status).toBe(0);
    expect(fake.recorded().authConfigPath).toBe(path.join(tmp, 'auth', 'basic_auth.ini'));
    expect(res.stderr).not.toContain('Adm1n');
  });

  test('without MLFLOW_AUTH_ADMIN_PASSWORD the server refuses to start', () => {
    const env = authEnv();
    delete env[IMAGE_ENV.authAdminPassword];
    const res = run([], env);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('  - MLFLOW_AUTH_ADMIN_PASSWORD: required when MLFLOW_AUTH=basic-auth but not set\n');
    expect(fs.existsSync(path.join(tmp, 'auth'))).toBe(false);
  });

  test('MLFLOW_AUTH=none (the default) writes no ini and adds no --app-name', () => {
    const { argv } = dryRun({ ...baseEnv(), [IMAGE_ENV.authMode]: 'none', MLFLOW_AUTH_CONFIG_PATH: path.join(tmp, 'auth.ini') });
    expect(argv).not.toContain('--app-name');
    expect(fs.existsSync(path.join(tmp, 'auth.ini'))).toBe(false);
  });

  /** A fake psycopg2 on PYTHONPATH: records connect() kwargs and SQL; reports the auth DB as existing or not. */
  function fakePsycopg2(exists: boolean): { dir: string; log: string } {
    const dir = path.join(tmp, 'py'); // shared with the fake mlflow package
    fs.mkdirSync(path.join(dir, 'psycopg2'), { recursive: true });
    const log = path.join(tmp, 'psycopg2.jsonl');
    fs.writeFileSync(
      path.join(dir, 'psycopg2', '__init__.py'),
      [
        'import json',
        `LOG = ${JSON.stringify(log)}`,
        'def _log(entry):',
        '    with open(LOG, "a") as f:',
        '        f.write(json.dumps(entry) + "\\n")',
        'class Error(Exception):',
        '    pgcode = None',
        'class _Cursor:',
        '    def __enter__(self): return self',
        '    def __exit__(self, *a): return False',
        '    def execute(self, sql, params=None): _log({"sql": sql, "params": params})',
        `    def fetchone(self): return ${exists ? '(1,)' : 'None'}`,
        'class _Conn:',
        '    autocommit = False',
        '    def cursor(self): return _Cursor()',
        '    def close(self): _log({"closed": True, "autocommit": self.autocommit})',
        'def connect(**kwargs):',
        '    _log({"connect": kwargs})',
        '    return _Conn()',
        '',
      ].join('\n'),
    );
    return { dir, log };
  }

  function readLog(log: string): Record<string, unknown>[] {
    return fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  }

  test('db-upgrade creates the missing auth database (autocommit, quoted identifier) before migrating', () => {
    const fake = fakeMlflowEnv();
    const pg = fakePsycopg2(false);
    const env: Record<string, string> = { ...authEnv(), ...fake.env, PYTHONPATH: pg.dir };
    delete env[IMAGE_ENV.authAdminPassword];
    const res = run(['db-upgrade'], env);
    expect(res.status).toBe(0);
    expect(readLog(pg.log)).toEqual([
      {
        connect: {
          host: 'mlflow.abc123.us-east-1.rds.amazonaws.com', port: 5432, dbname: 'mlflow_db',
          user: 'mlflow_user', password: SPECIAL_PASSWORD, sslmode: 'require',
        },
      },
      { sql: 'SELECT 1 FROM pg_database WHERE datname = %s', params: ['mlflow_db_auth'] },
      { sql: 'CREATE DATABASE "mlflow_db_auth"', params: null },
      { closed: true, autocommit: true },
    ]);
    expect(res.stderr).toContain("basic-auth database 'mlflow_db_auth' created");
    expect(fake.recorded().argv.slice(0, 2)).toEqual(['db', 'upgrade']);
  });

  test('db-upgrade leaves an existing auth database alone', () => {
    const fake = fakeMlflowEnv();
    const pg = fakePsycopg2(true);
    const res = run(['db-upgrade'], { ...authEnv(), ...fake.env, PYTHONPATH: pg.dir });
    expect(res.status).toBe(0);
    expect(readLog(pg.log).some((e) => String(e.sql ?? '').startsWith('CREATE DATABASE'))).toBe(false);
    expect(res.stderr).toContain("basic-auth database 'mlflow_db_auth' exists");
  });
});

describe('db-upgrade mode', () => {
  test('prints `mlflow db upgrade <uri>` and needs no artifacts or gunicorn variables', () => {
    const env = baseEnv();
    delete env[IMAGE_ENV.artifactsBucket];
    const { argv, plan } = dryRun(env, ['db-upgrade']);
    expect(plan.mode).toBe('db-upgrade');
    expect(argv).toEqual([
      'mlflow', 'db', 'upgrade',
      'postgresql://mlflow_user:***@mlflow.abc123.us-east-1.rds.amazonaws.com:5432/mlflow_db?sslmode=require',
    ]);
  });

  test('execs mlflow db upgrade with the real URI', () => {
    const fake = fakeMlflowEnv();
    const res = run(['db-upgrade'], { ...baseEnv(), ...fake.env });
    expect(res.status).toBe(0);
    const { argv } = fake.recorded();
    expect(argv.slice(0, 2)).toEqual(['db', 'upgrade']);
    expect(argv).toHaveLength(3);
    expect(pythonUserinfo(argv[2]).password).toBe(SPECIAL_PASSWORD);
  });

  test('still refuses a weak sslmode and reports missing database variables', () => {
    const res = run(['db-upgrade'], { [IMAGE_ENV.dbSslMode]: 'disable' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('cannot start (db-upgrade): 5 problem(s)');
    expect(res.stderr).not.toContain('MLFLOW_ARTIFACTS_BUCKET');
  });
});

describe('contract with src/image/contract.ts', () => {
  const source = fs.readFileSync(ENTRYPOINT, 'utf8');

  test('--print-contract lists exactly IMAGE_ENV (same keys, same names) and the contract port', () => {
    const res = run(['--print-contract'], {});
    expect(res.status).toBe(0);
    const printed = JSON.parse(res.stdout) as {
      env: Record<string, string>; internalEnv: Record<string, string>; port: number; host: string; defaultAuthConfigPath: string;
    };
    expect(printed.env).toEqual({ ...IMAGE_ENV });
    expect(printed.port).toBe(CONTAINER_PORT);
    expect(printed.host).toBe('0.0.0.0');
    // The root filesystem is read-only in the task: the basic-auth config goes under the writable dir.
    expect(printed.defaultAuthConfigPath.startsWith(`${WRITABLE_DIR}/`)).toBe(true);
    expect(Object.keys(printed.internalEnv).sort()).toEqual(['authConfigPath', 'dryRun']);
  });

  test('every MLFLOW_* name in entrypoint.py is a contract name or a declared internal one', () => {
    const names = new Set(source.match(/\bMLFLOW_[A-Z0-9_]+\b/g) ?? []);
    const allowed = new Set([...Object.values(IMAGE_ENV), 'MLFLOW_AUTH_CONFIG_PATH', 'MLFLOW_ENTRYPOINT_DRY_RUN']);
    expect([...names].filter((n) => !allowed.has(n))).toEqual([]);
    // and every contract name is read
    expect(Object.values(IMAGE_ENV).filter((n) => !names.has(n))).toEqual([]);
  });

  test('the environment is read only through the contract tables (no stray os.environ/getenv reads)', () => {
    expect(source).not.toMatch(/os\.getenv\(/);
    expect(source).not.toMatch(/os\.environ\[|os\.environ\.get\(/);
  });

  test('mlflow is exec-ed without a shell, and nothing is pip-installed at runtime', () => {
    expect(source).toMatch(/os\.execve\(interpreter, \[interpreter, os\.path\.abspath\(__file__\), LAUNCH_FLAG, str\(read_fd\)\], child_env\)/);
    expect(source).not.toMatch(/shell\s*=\s*True|os\.system\(|subprocess/);
    expect(source).not.toMatch(/pip\s+install|-m\s+pip|"pip"/);
  });
});
