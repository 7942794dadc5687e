import { readFileSync, statSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CredentialFiles,
  parseConnectionUri,
  passfileField,
  resolveConnection,
  scrubbedEnv,
  TARGET_SSL_MODES,
} from '../../src/db-migration/connection';

describe('parseConnectionUri', () => {
  test('decodes percent-encoded user, password and database; reads host, port and parameters', () => {
    const { fields, problems } = parseConnectionUri(
      'postgresql://mlflow%40ops:p%40ss%3Aw%2Frd%25@db.example.internal:6432/ml%20flow?sslmode=verify-full&sslrootcert=%2Fetc%2Frds.pem',
      'TARGET_DATABASE_URL',
    );
    expect(problems).toEqual([]);
    expect(fields).toEqual({
      host: 'db.example.internal',
      port: '6432',
      user: 'mlflow@ops',
      password: 'p@ss:w/rd%',
      dbname: 'ml flow',
      sslmode: 'verify-full',
      sslrootcert: '/etc/rds.pem',
    });
  });

  test('IPv6 hosts lose their brackets; postgres:// is accepted', () => {
    expect(parseConnectionUri('postgres://[::1]:5433/x', 'U').fields).toEqual({ host: '::1', port: '5433', dbname: 'x' });
  });

  test('problems name the variable and never echo the value', () => {
    const secretish = 'mysql://root:hunter2@h/db';
    const bad = parseConnectionUri(secretish, 'SOURCE_DATABASE_URL');
    expect(bad.problems).toEqual(['SOURCE_DATABASE_URL must be a libpq URI starting with postgresql:// (the value is not shown: it may hold a password)']);
    expect(parseConnectionUri('postgresql://u:hunter2@h1:1,h2:2/db', 'X').problems).toEqual([
      'X is not a valid postgresql:// URI (the value is not shown: it may hold a password)',
    ]);
    expect(parseConnectionUri('postgresql://h/db?options=-c%20x&sslmode=require', 'X').problems).toEqual([
      "X has the unsupported parameter 'options'; allowed: host, port, user, dbname, password, sslmode, sslrootcert",
    ]);
  });
});

describe('resolveConnection', () => {
  test('source defaults are the docker-compose database', () => {
    expect(resolveConnection('source', { flags: {}, env: {} })).toEqual({
      problems: [],
      spec: { host: 'localhost', port: 5433, user: 'mlflow_user', dbname: 'mlflow_db', sslmode: 'prefer' },
    });
  });

  test('precedence: defaults < secret < URI < flags; password: env > URI > secret', () => {
    const secret = { username: 'from_secret', password: 'secret-pw', host: 'rds.internal', port: '5432', dbname: 'mlflow' };
    const withSecret = resolveConnection('target', { flags: {}, env: {}, secret });
    expect(withSecret.spec).toEqual({ host: 'rds.internal', port: 5432, user: 'from_secret', dbname: 'mlflow', sslmode: 'require', password: 'secret-pw' });

    const env = { TARGET_DATABASE_URL: 'postgresql://uri_user:uri-pw@uri-host:5555/uri_db' };
    expect(resolveConnection('target', { flags: {}, env, secret }).spec).toMatchObject({ host: 'uri-host', port: 5555, user: 'uri_user', dbname: 'uri_db', password: 'uri-pw' });

    const flags = { host: '127.0.0.1', port: '15432' };
    const tunnel = resolveConnection('target', { flags, env: { ...env, TARGET_PGPASSWORD: 'env-pw' }, secret });
    expect(tunnel.spec).toMatchObject({ host: '127.0.0.1', port: 15432, user: 'uri_user', dbname: 'uri_db', password: 'env-pw' });
  });

  test('the RDS-managed secret (username/password only) needs host and dbname from elsewhere', () => {
    const managed = { username: 'postgres', password: 'x' };
    expect(resolveConnection('target', { flags: {}, env: {}, secret: managed }).problems).toEqual([
      'target host is not set: give --target-host, put it in TARGET_DATABASE_URL or use --target-secret-arn with a secret that has it',
      'target dbname is not set: give --target-dbname, put it in TARGET_DATABASE_URL or use --target-secret-arn with a secret that has it',
    ]);
    expect(resolveConnection('target', { flags: { host: 'h', dbname: 'mlflow' }, env: {}, secret: managed }).spec).toMatchObject({ user: 'postgres', host: 'h' });
  });

  test.each(['disable', 'allow', 'prefer'])('target sslmode %s is refused, naming where it came from', (mode) => {
    const viaUri = resolveConnection('target', { flags: {}, env: { TARGET_DATABASE_URL: `postgresql://u@h/db?sslmode=${mode}` } });
    expect(viaUri.problems).toEqual([
      `target sslmode '${mode}' (from TARGET_DATABASE_URL) does not guarantee encryption; the target must use one of: require, verify-ca, verify-full`,
    ]);
    expect(viaUri.spec).toBeUndefined();
    const viaFlag = resolveConnection('target', { flags: { host: 'h', user: 'u', dbname: 'd', sslmode: mode }, env: {} });
    expect(viaFlag.problems[0]).toContain(`(from --target-sslmode)`);
  });

  test.each(TARGET_SSL_MODES)('target sslmode %s is accepted', (mode) => {
    expect(resolveConnection('target', { flags: { host: 'h', user: 'u', dbname: 'd', sslmode: mode }, env: {} }).problems).toEqual([]);
  });

  test('collects every problem at once', () => {
    const r = resolveConnection('target', { flags: { port: '99999', sslmode: 'sometimes', dbname: 'host=evil dbname=x' }, env: { TARGET_PGPASSWORD: 'a\nb' } });
    expect(r.problems).toEqual([
      'target host is not set: give --target-host, put it in TARGET_DATABASE_URL or use --target-secret-arn with a secret that has it',
      'target user is not set: give --target-user, put it in TARGET_DATABASE_URL or use --target-secret-arn with a secret that has it',
      "target port '99999' (from --target-port) is not a TCP port (1-65535)",
      "target sslmode 'sometimes' (from --target-sslmode) is not one of: disable, allow, prefer, require, verify-ca, verify-full",
      'target dbname (from --target-dbname) must be a plain database name, not a connection string',
      'target password (from TARGET_PGPASSWORD) contains a line break, which a libpq password file cannot hold',
    ]);
  });
});

describe('child environment and password file', () => {
  test('passfile fields escape backslash and colon', () => {
    expect(passfileField('a:b\\c*d')).toBe('a\\:b\\\\c*d');
  });

  test('scrubbedEnv drops libpq variables and our secret-bearing variables, keeps the rest', () => {
    expect(
      scrubbedEnv({ PATH: '/bin', PGPASSWORD: 'x', PGSERVICE: 'y', TARGET_PGPASSWORD: 'z', SOURCE_DATABASE_URL: 'u', AWS_PROFILE: 'p', TARGET_REGION: 'r' }),
    ).toEqual({ PATH: '/bin', AWS_PROFILE: 'p', TARGET_REGION: 'r' });
  });

  test('the password reaches children only through a 0600 PGPASSFILE in a 0700 directory, removed by cleanup', () => {
    const files = new CredentialFiles({ PATH: '/bin', PGPASSWORD: 'ambient', TARGET_PGPASSWORD: 'p:w\\d' });
    const spec = { host: 'h', port: 5432, user: 'u', dbname: 'd', sslmode: 'verify-full' as const, sslrootcert: '/ca.pem', password: 'p:w\\d' };
    const env = files.envFor(spec);
    try {
      expect(env).toEqual({
        PATH: '/bin',
        PGHOST: 'h',
        PGPORT: '5432',
        PGUSER: 'u',
        PGDATABASE: 'd',
        PGSSLMODE: 'verify-full',
        PGSSLROOTCERT: '/ca.pem',
        PGCONNECT_TIMEOUT: '15',
        PGAPPNAME: 'mlflow-infra db',
        PGPASSFILE: env.PGPASSFILE,
      });
      expect(Object.values(env).join('\n')).not.toContain('p:w');
      expect(statSync(env.PGPASSFILE).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(env.PGPASSFILE)).mode & 0o777).toBe(0o700);
      expect(readFileSync(env.PGPASSFILE, 'utf8')).toBe('*:*:*:*:p\\:w\\\\d\n');
      expect(files.envFor(spec).PGPASSFILE).toBe(env.PGPASSFILE);
    } finally {
      files.cleanup();
    }
    expect(existsSync(dirname(env.PGPASSFILE))).toBe(false);
  });

  test('without a password no PGPASSFILE is set (libpq falls back to ~/.pgpass)', () => {
    const files = new CredentialFiles({});
    try {
      expect(files.envFor({ host: 'h', port: 1, user: 'u', dbname: 'd', sslmode: 'require' }).PGPASSFILE).toBeUndefined();
    } finally {
      files.cleanup();
    }
  });
});
