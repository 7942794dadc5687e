/**
 * Connection settings for the two databases of the MLflow migration (the local docker-compose
 * Postgres as `source`, RDS as `target`) and how they reach child processes.
 *
 * Sources, lowest precedence first: built-in defaults, the Secrets Manager secret, the libpq URI in
 * `SOURCE_DATABASE_URL` / `TARGET_DATABASE_URL`, then the command-line flags (so a flag can point at
 * an SSH tunnel while the secret names the RDS endpoint). The password comes from
 * `SOURCE_PGPASSWORD` / `TARGET_PGPASSWORD`, else the URI, else the secret; flags never carry one.
 *
 * Children get the settings as libpq environment variables and the password through a `PGPASSFILE`
 * (mode 0600 in a private temporary directory, deleted afterwards): never in argv, never in env.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { onInterrupt } from '../interrupt';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Side = 'source' | 'target';

/** libpq sslmode values, weakest first. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];
/** The target must encrypt: these are the sslmodes accepted for it. */
export const TARGET_SSL_MODES: readonly SslMode[] = SSL_MODES.slice(SSL_MODES.indexOf('require'));

export interface ConnectionSpec {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly dbname: string;
  readonly sslmode: SslMode;
  readonly sslrootcert?: string;
  readonly password?: string;
}

/** Fields a value may be given for; `password` only through env, URI or secret. */
export interface ConnectionFields {
  host?: string;
  port?: string;
  user?: string;
  dbname?: string;
  sslmode?: string;
  sslrootcert?: string;
  password?: string;
}

/** The JSON a Secrets Manager database secret holds (stack secret: all fields; RDS-managed: username/password). */
export interface DatabaseSecret {
  readonly username: string;
  readonly password: string;
  readonly host?: string;
  readonly port?: string;
  readonly dbname?: string;
}

export interface ConnectionInputs {
  readonly flags: ConnectionFields;
  readonly env: NodeJS.ProcessEnv;
  readonly secret?: DatabaseSecret;
  /** Label of the secret for messages, e.g. its ARN. */
  readonly secretLabel?: string;
}

/** Defaults: the source is the docker-compose database (../shared/legacy/docker-compose.yml). */
export const DEFAULTS: Record<Side, ConnectionFields> = {
  source: { host: 'localhost', port: '5433', user: 'mlflow_user', dbname: 'mlflow_db', sslmode: 'prefer' },
  target: { port: '5432', sslmode: 'require' },
};

export const envNames = (side: Side) => {
  const prefix = side.toUpperCase();
  return { url: `${prefix}_DATABASE_URL`, password: `${prefix}_PGPASSWORD` } as const;
};

/** Variables that must not reach children: ours (they hold secrets) and any ambient libpq setting. */
function isPrivateVariable(name: string): boolean {
  return name.startsWith('PG') || /^(SOURCE|TARGET)_(PGPASSWORD|DATABASE_URL)$/.test(name);
}

/** The parent environment without libpq variables and without our secret-bearing variables. */
export function scrubbedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !isPrivateVariable(k)) out[k] = v;
  return out;
}

const URI_PARAMS = ['host', 'port', 'user', 'dbname', 'password', 'sslmode', 'sslrootcert'] as const;

/**
 * Parses a libpq connection URI (`postgresql://user:password@host:port/dbname?sslmode=require`).
 * Problems name the variable, never echo the URI (it may hold a password).
 */
export function parseConnectionUri(uri: string, label: string): { fields: ConnectionFields; problems: string[] } {
  const problems: string[] = [];
  const fields: ConnectionFields = {};
  if (!/^postgres(ql)?:\/\//.test(uri)) {
    return { fields, problems: [`${label} must be a libpq URI starting with postgresql:// (the value is not shown: it may hold a password)`] };
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { fields, problems: [`${label} is not a valid postgresql:// URI (the value is not shown: it may hold a password)`] };
  }
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      problems.push(`${label} has an invalid percent-encoding in its user, password or database name`);
      return s;
    }
  };
  if (url.hostname.includes(',')) problems.push(`${label} names several hosts; give exactly one`);
  if (url.hostname) fields.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.port) fields.port = url.port;
  if (url.username) fields.user = decode(url.username);
  if (url.password) fields.password = decode(url.password);
  const path = url.pathname.replace(/^\//, '');
  if (path) fields.dbname = decode(path);
  for (const [key, value] of url.searchParams) {
    if ((URI_PARAMS as readonly string[]).includes(key)) fields[key as keyof ConnectionFields] = value;
    else problems.push(`${label} has the unsupported parameter '${key}'; allowed: ${URI_PARAMS.join(', ')}`);
  }
  return { fields, problems };
}

type Origin = string;

/**
 * Merges defaults, secret, URI and flags into one connection; collects every problem (missing
 * field, bad port, sslmode too weak for the target, ...) instead of stopping at the first.
 */
export function resolveConnection(side: Side, inputs: ConnectionInputs): { spec?: ConnectionSpec; problems: string[] } {
  const names = envNames(side);
  const problems: string[] = [];
  const values: ConnectionFields = {};
  const origins: Partial<Record<keyof ConnectionFields, Origin>> = {};
  const layer = (fields: ConnectionFields, origin: Origin) => {
    for (const [k, v] of Object.entries(fields) as [keyof ConnectionFields, string | undefined][]) {
      if (v === undefined || v === '') continue;
      values[k] = v;
      origins[k] = origin;
    }
  };
  layer(DEFAULTS[side], 'default');
  if (inputs.secret) {
    const { username, password, host, port, dbname } = inputs.secret;
    layer({ user: username, password, host, port, dbname }, `secret ${inputs.secretLabel ?? ''}`.trim());
  }
  const uri = inputs.env[names.url];
  if (uri) {
    const parsed = parseConnectionUri(uri, names.url);
    problems.push(...parsed.problems);
    layer(parsed.fields, names.url);
  }
  const flagFields = { ...inputs.flags };
  delete flagFields.password;
  layer(flagFields, 'flag');
  const envPassword = inputs.env[names.password];
  if (envPassword) layer({ password: envPassword }, names.password);

  const where = (k: keyof ConnectionFields) => (origins[k] === 'flag' ? `--${side}-${k}` : origins[k]);
  for (const k of ['host', 'user', 'dbname'] as const) {
    if (!values[k]) {
      problems.push(
        `${side} ${k} is not set: give --${side}-${k}, put it in ${names.url}` +
          (side === 'target' ? ` or use --${side}-secret-arn with a secret that has it` : ''),
      );
    }
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? '') || port < 1 || port > 65535) {
    problems.push(`${side} port '${values.port}' (from ${where('port')}) is not a TCP port (1-65535)`);
  }
  const sslmode = values.sslmode as SslMode;
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) {
    problems.push(`${side} sslmode '${values.sslmode}' (from ${where('sslmode')}) is not one of: ${SSL_MODES.join(', ')}`);
  } else if (side === 'target' && !TARGET_SSL_MODES.includes(sslmode)) {
    problems.push(
      `target sslmode '${sslmode}' (from ${where('sslmode')}) does not guarantee encryption; the target must use one of: ${TARGET_SSL_MODES.join(', ')}`,
    );
  }
  const dbname = values.dbname ?? '';
  if (dbname.includes('=') || /^postgres(ql)?:\/\//.test(dbname)) {
    problems.push(`${side} dbname (from ${where('dbname')}) must be a plain database name, not a connection string`);
  }
  if (values.password?.includes('\n')) {
    problems.push(`${side} password (from ${where('password')}) contains a line break, which a libpq password file cannot hold`);
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    spec: {
      host: values.host!,
      port,
      user: values.user!,
      dbname,
      sslmode,
      ...(values.sslrootcert ? { sslrootcert: values.sslrootcert } : {}),
      ...(values.password ? { password: values.password } : {}),
    },
  };
}

/** `host:port/dbname (user ..., sslmode ...)`, for messages. Never includes the password. */
export function describeConnection(spec: ConnectionSpec): string {
  return `${spec.host}:${spec.port}/${spec.dbname} (user ${spec.user}, sslmode ${spec.sslmode})`;
}

/** Escapes a value for a libpq password file field (`\` and `:` are backslash-escaped). */
export function passfileField(value: string): string {
  return value.replace(/[\\:]/g, (c) => `\\${c}`);
}

/**
 * Private password files for the duration of one operation. `envFor` gives the complete child
 * environment for a connection; `cleanup` deletes the files (call it in `finally`).
 */
export class CredentialFiles {
  private readonly dir: string;
  private readonly files = new Map<ConnectionSpec, string>();
  private readonly forgetInterrupt: () => void;

  constructor(private readonly baseEnv: NodeJS.ProcessEnv) {
    this.dir = mkdtempSync(join(tmpdir(), 'mlflow-infra-pg-'));
    this.forgetInterrupt = onInterrupt(`the password files in ${this.dir}`, () => rmSync(this.dir, { recursive: true, force: true }));
  }

  envFor(spec: ConnectionSpec): Record<string, string> {
    const env: Record<string, string> = {
      ...scrubbedEnv(this.baseEnv),
      PGHOST: spec.host,
      PGPORT: String(spec.port),
      PGUSER: spec.user,
      PGDATABASE: spec.dbname,
      PGSSLMODE: spec.sslmode,
      PGCONNECT_TIMEOUT: '15',
      PGAPPNAME: 'mlflow-infra db',
    };
    if (spec.sslrootcert) env.PGSSLROOTCERT = spec.sslrootcert;
    if (spec.password !== undefined) env.PGPASSFILE = this.passfile(spec);
    return env;
  }

  private passfile(spec: ConnectionSpec): string {
    let file = this.files.get(spec);
    if (!file) {
      file = join(this.dir, `${this.files.size}.pgpass`);
      writeFileSync(file, `*:*:*:*:${passfileField(spec.password!)}\n`, { mode: 0o600 });
      this.files.set(spec, file);
    }
    return file;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.files.clear();
    this.forgetInterrupt();
  }
}
