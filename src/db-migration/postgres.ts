/**
 * Queries the migration needs, run through `psql` (one connection per query, settings in the
 * environment from {@link CredentialFiles}). Each query returns one JSON document.
 */
import { ConnectionSpec, CredentialFiles, describeConnection, Side } from './connection';
import { failureReason, Runner } from './runner';
import { EXIT, InfraError } from '../errors';

/** `failed`: something broke (exit 1). `refused`: a safety check said no (exit 3). */
export class DbMigrationError extends InfraError {
  constructor(
    message: string,
    readonly kind: 'failed' | 'refused' = 'failed',
  ) {
    super(message, { exitCode: kind === 'refused' ? EXIT.refused : EXIT.failed });
  }

  /** `REFUSED: <message>` or `FAILED: <message>`. */
  override paragraphs(): readonly string[] {
    return [`${this.kind === 'refused' ? 'REFUSED' : 'FAILED'}: ${this.message}`];
  }
}

export interface TableSnapshot {
  readonly name: string;
  /** Exact `count(*)`. */
  readonly rows: number;
  /**
   * Content checksum: the sums of the two 64-bit halves of every row's `md5(row::text)`, as
   * `<sum1>/<sum2>` (exact numerics, so no row's hash can be lost to overflow). Equal rows give equal
   * sums in any order; one changed value in one row changes them (see {@link ROW_TEXT_SETTINGS}).
   */
  readonly checksum: string;
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

/**
 * Session settings that make a row's text form (`row::text`) depend only on its values, not on the
 * server's or role's defaults: dates, times and intervals in one style and zone, floats with every
 * digit, bytea in hex. Both sides of a comparison run with these.
 */
export const ROW_TEXT_SETTINGS =
  "SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC'; SET extra_float_digits = 3; SET bytea_output = 'hex';";

/** SQL summing the two halves of the per-row md5 `m`; `q` is the quote (doubled inside a format() string). */
const rowHashSums = (q: string) =>
  `coalesce(sum((${q}x${q} || substr(m, 1, 16))::bit(64)::bigint::numeric), 0)::text || ${q}/${q} || ` +
  `coalesce(sum((${q}x${q} || substr(m, 17, 16))::bit(64)::bigint::numeric), 0)::text`;
const ROW_HASH_SUMS = rowHashSums("''");

/** A double-quoted SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The primary key's columns of `schema.table`, in key order (empty when it has none). */
export function primaryKeySql(schema: string, table: string): string {
  return `SELECT coalesce(json_agg(a.attname ORDER BY k.ord), '[]')
FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = ${sqlLiteral(`${sqlIdentifier(schema)}.${sqlIdentifier(table)}`)}::regclass AND i.indisprimary`;
}

/**
 * Each row's key text `k` (the primary key as a row value, or the whole row without one) and row
 * hash `m`, from which {@link bucketSumsSql} and {@link bucketRowsSql} select.
 */
function keyedRows(schema: string, table: string, keyColumns: readonly string[]): string {
  const key = keyColumns.length > 0 ? `ROW(${keyColumns.map((c) => `r.${sqlIdentifier(c)}`).join(', ')})::text` : 'r::text';
  return `(SELECT ${key} AS k, md5(r::text) AS m FROM ${sqlIdentifier(schema)}.${sqlIdentifier(table)} r) s`;
}

/** Rows are spread over 256 buckets by the first byte of md5(key); a bucket's value is its count and hash sums. */
export function bucketSumsSql(schema: string, table: string, keyColumns: readonly string[]): string {
  return `${ROW_TEXT_SETTINGS}
SELECT coalesce(json_object_agg(b, h), '{}') FROM (
  SELECT substr(md5(k), 1, 2) AS b, count(*)::text || ':' || ${rowHashSums("'")} AS h
  FROM ${keyedRows(schema, table, keyColumns)} GROUP BY 1
) z`;
}

/** `[key, row md5]` of every row in the given buckets. */
export function bucketRowsSql(schema: string, table: string, keyColumns: readonly string[], buckets: readonly string[]): string {
  return `${ROW_TEXT_SETTINGS}
SELECT coalesce(json_agg(json_build_array(k, m)), '[]') FROM ${keyedRows(schema, table, keyColumns)}
WHERE substr(md5(k), 1, 2) IN (${buckets.map(sqlLiteral).join(', ')})`;
}

/**
 * Every table of the schema with exact row counts and content checksums, columns, constraints,
 * indexes; sequences; alembic version. One scan of each table.
 */
export function snapshotSql(schema: string): string {
  const s = sqlLiteral(schema);
  return `${ROW_TEXT_SETTINGS}
WITH t AS (
  SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ${s} AND c.relkind IN ('r', 'p')
)
SELECT json_build_object(
  'schema', ${s},
  'tables', coalesce((SELECT json_agg(json_build_object(
    'name', t.relname,
    'rows', (xpath('/row/c/text()', x.doc))[1]::text::bigint,
    'checksum', (xpath('/row/h/text()', x.doc))[1]::text,
    'columns', (SELECT coalesce(json_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END ORDER BY a.attnum), '[]')
                FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
    'constraints', (SELECT coalesce(json_agg(co.conname || ' ' || CASE co.contype WHEN 'c' THEN 'CHECK' ELSE pg_get_constraintdef(co.oid) END
                                             ORDER BY co.conname), '[]')
                    FROM pg_constraint co WHERE co.conrelid = t.oid),
    'indexes', (SELECT coalesce(json_agg(pg_get_indexdef(i.indexrelid) ORDER BY pg_get_indexdef(i.indexrelid)), '[]')
                FROM pg_index i WHERE i.indrelid = t.oid)
  ) ORDER BY t.relname) FROM t CROSS JOIN LATERAL (SELECT query_to_xml(format(
      'SELECT count(*) AS c, ${ROW_HASH_SUMS} AS h FROM (SELECT md5(r::text) AS m FROM %I.%I r) s', ${s}, t.relname
    ), false, true, '') AS doc) x), '[]'),
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
