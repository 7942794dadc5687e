/**
 * Queries the migration needs, run through `psql` (one connection per query, settings in the
 * environment from {@link CredentialFiles}). Each query returns one JSON document.
 */
import { ConnectionSpec, CredentialFiles, describeConnection, Side } from './connection';
import { failureReason, Runner } from './runner';

/** `failed`: something broke (exit 1). `refused`: a safety check said no (exit 3). */
export class DbMigrationError extends Error {
  constructor(
    message: string,
    readonly kind: 'failed' | 'refused' = 'failed',
  ) {
    super(message);
  }
}

export interface TableSnapshot {
  readonly name: string;
  /** Exact `count(*)`. */
  readonly rows: number;
  /** `name type [NOT NULL]`, in column order. */
  readonly columns: readonly string[];
  /**
   * `name definition`, sorted; CHECK constraints as `name CHECK` only: PostgreSQL re-deparses a
   * restored CHECK expression differently (`ARRAY[...]::text[]` vs `ARRAY[(...)::text]`).
   */
  readonly constraints: readonly string[];
  /** `CREATE INDEX ...`, sorted. */
  readonly indexes: readonly string[];
}

export interface DbSnapshot {
  readonly schema: string;
  readonly tables: readonly TableSnapshot[];
  readonly sequences: readonly { readonly name: string; readonly lastValue: number | null }[];
  /** `SELECT version_num FROM alembic_version`, sorted; null when the table does not exist. */
  readonly alembicVersions: readonly string[] | null;
}

export interface SessionInfo {
  readonly serverVersionNum: number;
  readonly ssl: boolean;
  readonly sslVersion: string | null;
  readonly otherSessions: number;
  readonly user: string;
}

/** A SQL string literal (standard_conforming_strings, the default since PostgreSQL 9.1). */
export function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Every table of the schema with exact row counts, columns, constraints, indexes; sequences; alembic version. */
export function snapshotSql(schema: string): string {
  const s = sqlLiteral(schema);
  return `
WITH t AS (
  SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ${s} AND c.relkind IN ('r', 'p')
)
SELECT json_build_object(
  'schema', ${s},
  'tables', coalesce((SELECT json_agg(json_build_object(
    'name', t.relname,
    'rows', (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', ${s}, t.relname), false, true, '')))[1]::text::bigint,
    'columns', (SELECT coalesce(json_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END ORDER BY a.attnum), '[]')
                FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
    'constraints', (SELECT coalesce(json_agg(co.conname || ' ' || CASE co.contype WHEN 'c' THEN 'CHECK' ELSE pg_get_constraintdef(co.oid) END
                                             ORDER BY co.conname), '[]')
                    FROM pg_constraint co WHERE co.conrelid = t.oid),
    'indexes', (SELECT coalesce(json_agg(pg_get_indexdef(i.indexrelid) ORDER BY pg_get_indexdef(i.indexrelid)), '[]')
                FROM pg_index i WHERE i.indrelid = t.oid)
  ) ORDER BY t.relname) FROM t), '[]'),
  'sequences', coalesce((SELECT json_agg(json_build_object('name', q.sequencename, 'lastValue', q.last_value) ORDER BY q.sequencename)
                         FROM pg_sequences q WHERE q.schemaname = ${s}), '[]'),
  'alembicVersions', CASE WHEN to_regclass(format('%I.alembic_version', ${s})) IS NULL THEN NULL ELSE (
    SELECT coalesce(json_agg(v::text ORDER BY v::text), '[]')
    FROM unnest(xpath('//row/version_num/text()', query_to_xml(format('SELECT version_num FROM %I.alembic_version', ${s}), false, false, ''))) AS v
  ) END
)`;
}

export const SESSION_SQL = `
SELECT json_build_object(
  'serverVersionNum', current_setting('server_version_num')::int,
  'ssl', coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false),
  'sslVersion', (SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()),
  'otherSessions', (SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'),
  'user', current_user
)`;

/** One side's connection: runs psql with the side's environment. */
export class PgClient {
  constructor(
    private readonly runner: Runner,
    readonly side: Side,
    readonly spec: ConnectionSpec,
    private readonly credentials: CredentialFiles,
  ) {}

  get env(): Record<string, string> {
    return this.credentials.envFor(this.spec);
  }

  describe(): string {
    return `${this.side} ${describeConnection(this.spec)}`;
  }

  /** Runs one statement that returns a single JSON value. */
  async queryJson<T>(sql: string): Promise<T> {
    const result = await this.runner({
      command: 'psql',
      args: ['--no-password', '--no-psqlrc', '--quiet', '--no-align', '--tuples-only', '--set', 'ON_ERROR_STOP=1', '--command', sql],
      env: this.env,
    });
    if (result.code !== 0) {
      const reason = failureReason('psql', result);
      if (/server does not support SSL/.test(result.stderr)) {
        throw new DbMigrationError(`refusing ${this.describe()}: the server does not accept SSL connections (${reason})`, 'refused');
      }
      throw new DbMigrationError(`query on ${this.describe()} failed: ${reason}`);
    }
    return JSON.parse(result.stdout.trim()) as T;
  }

  session(): Promise<SessionInfo> {
    return this.queryJson<SessionInfo>(SESSION_SQL);
  }

  snapshot(schema: string): Promise<DbSnapshot> {
    return this.queryJson<DbSnapshot>(snapshotSql(schema));
  }

  /** Refuses unless this very connection is encrypted (pg_stat_ssl), whatever sslmode said. */
  async requireSsl(): Promise<SessionInfo> {
    const info = await this.session();
    if (!info.ssl) {
      throw new DbMigrationError(
        `refusing ${this.describe()}: the connection is not encrypted (pg_stat_ssl.ssl = false for this session); the target must be reached over SSL`,
        'refused',
      );
    }
    return info;
  }
}
