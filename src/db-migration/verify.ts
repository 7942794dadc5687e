/**
 * Compares the source and target snapshots of the MLflow schema: the alembic version, the set of
 * tables, each table's columns, constraints and indexes, exact row counts, every table's content
 * checksum (a changed metric value, param value or text passes no count check), and sequence
 * positions (a sequence behind the data would hand out experiment IDs that already exist).
 */
import { RowDifference } from './locate';
import { DbSnapshot, TableSnapshot } from './postgres';

export type DifferenceKind = 'alembic version' | 'table' | 'column' | 'constraint' | 'index' | 'row count' | 'content' | 'sequence';

export interface Difference {
  readonly kind: DifferenceKind;
  /** Schema-qualified object, e.g. `public.metrics` or `public.runs.name`. */
  readonly object: string;
  readonly source: string;
  readonly target: string;
  /** For `row count` and `content`: the first row that differs (set by the database comparison). */
  readonly firstRow?: RowDifference;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly schema: string;
  readonly alembicVersion: { readonly source: string | null; readonly target: string | null };
  readonly tables: readonly { readonly name: string; readonly sourceRows: number | null; readonly targetRows: number | null }[];
  readonly differences: readonly Difference[];
  /** Target-only tables and sequences that were there before the restore (accepted with --allow-nonempty). */
  readonly preexistingTargetObjects: readonly string[];
}

/** Objects the target had before the restore; target-only objects with these names are not differences. */
export interface Preexisting {
  readonly tables: readonly string[];
  readonly sequences: readonly string[];
}

const MISSING = 'missing';
const PRESENT = 'present';

function alembicText(versions: readonly string[] | null): string | null {
  if (versions === null) return null;
  return versions.length === 0 ? '(no row)' : versions.join(',');
}

/** Differences of two string sets keyed by `key`: present on one side only, or different text. */
function compareKeyed(
  kind: DifferenceKind,
  prefix: string,
  source: readonly string[],
  target: readonly string[],
  key: (entry: string) => string,
): Difference[] {
  const s = new Map(source.map((e) => [key(e), e]));
  const t = new Map(target.map((e) => [key(e), e]));
  const keys = [...new Set([...s.keys(), ...t.keys()])].sort();
  const out: Difference[] = [];
  for (const k of keys) {
    const a = s.get(k);
    const b = t.get(k);
    if (a === b) continue;
    out.push({ kind, object: `${prefix}.${k}`, source: a ?? MISSING, target: b ?? MISSING });
  }
  return out;
}

const firstWord = (entry: string) => entry.split(' ')[0];
/** `CREATE [UNIQUE] INDEX <name> ON ...` → name. */
const indexName = (def: string) => /INDEX (\S+) ON /.exec(def)?.[1] ?? def;

function compareTable(schema: string, s: TableSnapshot, t: TableSnapshot): Difference[] {
  const obj = `${schema}.${s.name}`;
  const rest = (e: string) => e.slice(e.indexOf(' ') + 1);
  const columns = compareKeyed('column', obj, s.columns, t.columns, firstWord).map((d) => ({
    ...d,
    source: d.source === MISSING ? MISSING : rest(d.source),
    target: d.target === MISSING ? MISSING : rest(d.target),
  }));
  const diffs: Difference[] = [
    ...columns,
    ...compareKeyed('constraint', obj, s.constraints, t.constraints, firstWord),
    ...compareKeyed('index', obj, s.indexes, t.indexes, indexName),
  ];
  if (s.rows !== t.rows) diffs.push({ kind: 'row count', object: obj, source: String(s.rows), target: String(t.rows) });
  else if (s.checksum !== t.checksum) diffs.push({ kind: 'content', object: obj, source: `checksum ${s.checksum}`, target: `checksum ${t.checksum}` });
  return diffs;
}

export function compareSnapshots(
  source: DbSnapshot,
  target: DbSnapshot,
  preexisting: Preexisting = { tables: [], sequences: [] },
): VerifyReport {
  const schema = source.schema;
  const all: Difference[] = [];
  const sv = alembicText(source.alembicVersions);
  const tv = alembicText(target.alembicVersions);
  if (sv !== tv) {
    all.push({ kind: 'alembic version', object: `${schema}.alembic_version`, source: sv ?? 'no table', target: tv ?? 'no table' });
  }
  const sTables = new Map(source.tables.map((t) => [t.name, t]));
  const tTables = new Map(target.tables.map((t) => [t.name, t]));
  const names = [...new Set([...sTables.keys(), ...tTables.keys()])].sort();
  for (const name of names) {
    const s = sTables.get(name);
    const t = tTables.get(name);
    if (s && t) all.push(...compareTable(schema, s, t));
    else all.push({ kind: 'table', object: `${schema}.${name}`, source: s ? PRESENT : MISSING, target: t ? PRESENT : MISSING });
  }
  const seq = (snap: DbSnapshot) => snap.sequences.map((q) => `${q.name} ${q.lastValue ?? 'unused'}`);
  all.push(
    ...compareKeyed('sequence', schema, seq(source), seq(target), firstWord).map((d) => ({
      ...d,
      source: d.source === MISSING ? MISSING : `last_value ${d.source.split(' ')[1]}`,
      target: d.target === MISSING ? MISSING : `last_value ${d.target.split(' ')[1]}`,
    })),
  );
  const accepted = new Set([
    ...preexisting.tables.map((n) => `table ${schema}.${n}`),
    ...preexisting.sequences.map((n) => `sequence ${schema}.${n}`),
  ]);
  const isAccepted = (d: Difference) => d.source === MISSING && accepted.has(`${d.kind} ${d.object}`);
  const kept = all.filter((d) => !isAccepted(d));
  return {
    ok: kept.length === 0,
    schema,
    alembicVersion: { source: sv, target: tv },
    tables: names
      .filter((name) => sTables.has(name) || !preexisting.tables.includes(name))
      .map((name) => ({ name, sourceRows: sTables.get(name)?.rows ?? null, targetRows: tTables.get(name)?.rows ?? null })),
    differences: kept,
    preexistingTargetObjects: all.filter(isAccepted).map((d) => `${d.kind} ${d.object}`),
  };
}

/** Left-aligned text table with a header row. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** `(run_uuid, key) = (3a9f…,loss): source row md5 …, target missing`. */
export function describeFirstRow(row: RowDifference): string {
  const key = row.keyColumns.length > 0 ? `(${row.keyColumns.join(', ')}) = ${row.key}` : `${row.key} (no primary key: the whole row)`;
  return `first differing row ${key}: source ${row.source}, target ${row.target}`;
}

/** Human-readable report: the difference table on failure, the row-count table on success. */
export function renderReport(report: VerifyReport): string {
  if (!report.ok) {
    const table = renderTable(
      ['difference', 'object', 'source', 'target'],
      report.differences.map((d) => [d.kind, d.object, d.source, d.target]),
    );
    const firstRows = report.differences.filter((d) => d.firstRow).map((d) => `  ${d.object}: ${describeFirstRow(d.firstRow!)}\n`);
    return (
      `VERIFICATION FAILED: ${report.differences.length} difference${report.differences.length === 1 ? '' : 's'} between source and target (schema ${report.schema})\n\n` +
      table +
      (firstRows.length > 0 ? `\n${firstRows.join('')}` : '')
    );
  }
  const total = report.tables.reduce((n, t) => n + (t.sourceRows ?? 0), 0);
  return (
    renderTable(
      ['table', 'source rows', 'target rows'],
      report.tables.map((t) => [`${report.schema}.${t.name}`, String(t.sourceRows), String(t.targetRows)]),
    ) +
    `\nOK: ${report.tables.length} tables and ${total} rows match, with equal content checksums; columns, constraints, indexes and sequences match; ` +
    `alembic version ${report.alembicVersion.source ?? 'none'} on both\n` +
    (report.preexistingTargetObjects.length > 0
      ? `Not compared (in the target before the restore, accepted with --allow-nonempty): ${report.preexistingTargetObjects.join(', ')}\n`
      : '')
  );
}
