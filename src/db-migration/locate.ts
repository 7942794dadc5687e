/**
 * Finds the first row that differs between the source's and the target's copy of a table whose
 * content checksums (or row counts) differ, without reading the whole table into memory: both sides
 * hash their rows into 256 buckets by key in the database, and only the rows of the buckets whose
 * count or hash sums differ are fetched and compared. "First" is the smallest differing key in byte
 * order of its text form (PostgreSQL's row literal, e.g. `(3a9f…,loss)`), the same on both sides
 * whatever their collations.
 */
import { bucketRowsSql, bucketSumsSql, PgClient, primaryKeySql } from './postgres';

export interface RowDifference {
  /** The key columns (the primary key), or empty when the table has none and the whole row is the key. */
  readonly keyColumns: readonly string[];
  /** The key's text form: `(value, value)` for the primary key columns, else the whole row. */
  readonly key: string;
  /** `row <md5 prefix>` when the side has a row with that key, else `missing`. */
  readonly source: string;
  readonly target: string;
}

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const describeRow = (md5: string | undefined) => (md5 === undefined ? 'missing' : `row md5 ${md5.slice(0, 12)}`);

/** The smallest key whose row is missing on one side or hashes differently; undefined when none. */
export function firstDifferingRow(
  source: readonly (readonly [string, string])[],
  target: readonly (readonly [string, string])[],
): { key: string; source: string; target: string } | undefined {
  const s = new Map(source);
  const t = new Map(target);
  const keys = [...new Set([...s.keys(), ...t.keys()])].sort(byBytes);
  const key = keys.find((k) => s.get(k) !== t.get(k));
  return key === undefined ? undefined : { key, source: describeRow(s.get(key)), target: describeRow(t.get(key)) };
}

/** The differing buckets of two `bucket -> count:sums` maps, sorted. */
export function differingBuckets(source: Readonly<Record<string, string>>, target: Readonly<Record<string, string>>): string[] {
  return [...new Set([...Object.keys(source), ...Object.keys(target)])].filter((b) => source[b] !== target[b]).sort();
}

/**
 * The first differing row of `schema.table` between the two sides (the key columns are the
 * source's primary key). Undefined when no row differs, e.g. only the schema does.
 */
export async function locateFirstDifference(
  source: PgClient,
  target: PgClient,
  schema: string,
  table: string,
): Promise<RowDifference | undefined> {
  const keyColumns = await source.queryJson<string[]>(primaryKeySql(schema, table));
  const [sBuckets, tBuckets] = await Promise.all([
    source.queryJson<Record<string, string>>(bucketSumsSql(schema, table, keyColumns)),
    target.queryJson<Record<string, string>>(bucketSumsSql(schema, table, keyColumns)),
  ]);
  const buckets = differingBuckets(sBuckets, tBuckets);
  if (buckets.length === 0) return undefined;
  const [sRows, tRows] = await Promise.all([
    source.queryJson<[string, string][]>(bucketRowsSql(schema, table, keyColumns, buckets)),
    target.queryJson<[string, string][]>(bucketRowsSql(schema, table, keyColumns, buckets)),
  ]);
  const first = firstDifferingRow(sRows, tRows);
  return first && { keyColumns, ...first };
}
