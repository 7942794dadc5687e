import { DbSnapshot, TableSnapshot } from '../../src/db-migration/postgres';
import { PhaseReporter, VerboseCondenser } from '../../src/db-migration/progress';
import { differingBuckets, firstDifferingRow } from '../../src/db-migration/locate';
import { compareSnapshots, renderReport } from '../../src/db-migration/verify';

const table = (name: string, rows: number, extra: Partial<TableSnapshot> = {}): TableSnapshot => ({
  name,
  rows,
  checksum: `${rows * 7}/${rows * 13}`,
  columns: ['key character varying(250) NOT NULL', 'value double precision NOT NULL'],
  constraints: [`${name}_pk PRIMARY KEY (key)`, `${name}_check CHECK`],
  indexes: [`CREATE INDEX ix_${name} ON public.${name} USING btree (key)`],
  ...extra,
});

const snapshot = (over: Partial<DbSnapshot> = {}): DbSnapshot => ({
  schema: 'public',
  tables: [table('alembic_version', 1), table('metrics', 1000), table('runs', 10)],
  sequences: [{ name: 'experiments_experiment_id_seq', lastValue: 5 }],
  alembicVersions: ['867495a8f9d4'],
  ...over,
});

describe('compareSnapshots', () => {
  test('identical snapshots: ok, per-table counts listed', () => {
    const report = compareSnapshots(snapshot(), snapshot());
    expect(report.ok).toBe(true);
    expect(report.tables).toEqual([
      { name: 'alembic_version', sourceRows: 1, targetRows: 1 },
      { name: 'metrics', sourceRows: 1000, targetRows: 1000 },
      { name: 'runs', sourceRows: 10, targetRows: 10 },
    ]);
    expect(renderReport(report)).toContain('OK: 3 tables and 1011 rows match, with equal content checksums; columns, constraints, indexes and sequences match; alembic version 867495a8f9d4 on both');
  });

  test('every kind of difference is named with both sides', () => {
    const target = snapshot({
      alembicVersions: ['0584bdc529eb'],
      tables: [
        table('metrics', 999, {
          columns: ['key character varying(250) NOT NULL', 'value real NOT NULL'],
          constraints: ['metrics_pk PRIMARY KEY (key)'],
          indexes: [],
        }),
        table('runs', 10),
        table('extra', 0),
      ],
      sequences: [{ name: 'experiments_experiment_id_seq', lastValue: null }],
    });
    const report = compareSnapshots(snapshot(), target);
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([
      { kind: 'alembic version', object: 'public.alembic_version', source: '867495a8f9d4', target: '0584bdc529eb' },
      { kind: 'table', object: 'public.alembic_version', source: 'present', target: 'missing' },
      { kind: 'table', object: 'public.extra', source: 'missing', target: 'present' },
      { kind: 'column', object: 'public.metrics.value', source: 'double precision NOT NULL', target: 'real NOT NULL' },
      { kind: 'constraint', object: 'public.metrics.metrics_check', source: 'metrics_check CHECK', target: 'missing' },
      { kind: 'index', object: 'public.metrics.ix_metrics', source: 'CREATE INDEX ix_metrics ON public.metrics USING btree (key)', target: 'missing' },
      { kind: 'row count', object: 'public.metrics', source: '1000', target: '999' },
      { kind: 'sequence', object: 'public.experiments_experiment_id_seq', source: 'last_value 5', target: 'last_value unused' },
    ]);
    const text = renderReport(report);
    expect(text.split('\n').slice(0, 4)).toEqual([
      'VERIFICATION FAILED: 8 differences between source and target (schema public)',
      '',
      // Columns as wide as their widest cell: 'public.experiments_experiment_id_seq', the index definition, 'last_value unused'.
      `difference       ${'object'.padEnd(36)}  ${'source'.padEnd(59)}  target`,
      `${'-'.repeat(15)}  ${'-'.repeat(36)}  ${'-'.repeat(59)}  ${'-'.repeat(17)}`,
    ]);
    expect(text).toMatch(/^row count\s+public\.metrics\s+1000\s+999$/m);
  });

  test('equal counts with a different content checksum are a content difference; the first differing row is rendered', () => {
    const target = snapshot({ tables: [table('alembic_version', 1), table('metrics', 1000, { checksum: '1/2' }), table('runs', 10)] });
    const report = compareSnapshots(snapshot(), target);
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([{ kind: 'content', object: 'public.metrics', source: 'checksum 7000/13000', target: 'checksum 1/2' }]);
    const located = {
      ...report,
      differences: [{ ...report.differences[0], firstRow: { keyColumns: ['key', 'step'], key: '(auc,3)', source: 'row md5 0123456789ab', target: 'row md5 ba9876543210' } }],
    };
    expect(renderReport(located)).toContain('  public.metrics: first differing row (key, step) = (auc,3): source row md5 0123456789ab, target row md5 ba9876543210\n');
    const noKey = { ...located, differences: [{ ...located.differences[0], firstRow: { keyColumns: [], key: '(auc,3,0.5)', source: 'row md5 0123456789ab', target: 'missing' } }] };
    expect(renderReport(noKey)).toContain('first differing row (auc,3,0.5) (no primary key: the whole row): source row md5 0123456789ab, target missing');
  });

  test('a row count difference is not also reported as a content difference', () => {
    const target = snapshot({ tables: [table('alembic_version', 1), table('metrics', 999, { checksum: '1/2' }), table('runs', 10)] });
    expect(compareSnapshots(snapshot(), target).differences.map((d) => d.kind)).toEqual(['row count']);
  });

  test('no alembic_version table and an empty one are told apart', () => {
    const report = compareSnapshots(snapshot(), snapshot({ alembicVersions: null }));
    expect(report.differences[0]).toEqual({ kind: 'alembic version', object: 'public.alembic_version', source: '867495a8f9d4', target: 'no table' });
    expect(compareSnapshots(snapshot(), snapshot({ alembicVersions: [] })).differences[0].target).toBe('(no row)');
  });

  test('target-only objects that were there before the restore are accepted and listed, nothing else', () => {
    const target = snapshot({
      tables: [...snapshot().tables, table('audit_log', 3), table('surprise', 1)],
      sequences: [...snapshot().sequences, { name: 'audit_log_id_seq', lastValue: 3 }],
    });
    const report = compareSnapshots(snapshot(), target, { tables: ['audit_log'], sequences: ['audit_log_id_seq'] });
    expect(report.differences).toEqual([{ kind: 'table', object: 'public.surprise', source: 'missing', target: 'present' }]);
    expect(report.preexistingTargetObjects).toEqual(['table public.audit_log', 'sequence public.audit_log_id_seq']);
    expect(report.tables.map((t) => t.name)).toEqual(['alembic_version', 'metrics', 'runs', 'surprise']);
  });
});

describe('firstDifferingRow / differingBuckets', () => {
  test('the smallest differing key in byte order: changed, missing on either side', () => {
    const source: [string, string][] = [['(b)', 'h2'], ['(a)', 'h1'], ['(é)', 'h4'], ['(c)', 'h3']];
    expect(firstDifferingRow(source, [...source])).toBeUndefined();
    expect(firstDifferingRow(source, [['(a)', 'h1'], ['(b)', 'XX'], ['(c)', 'YY'], ['(é)', 'h4']])).toEqual({ key: '(b)', source: 'row md5 h2', target: 'row md5 XX' });
    expect(firstDifferingRow(source, [['(a)', 'h1'], ['(c)', 'h3'], ['(é)', 'h4']])).toEqual({ key: '(b)', source: 'row md5 h2', target: 'missing' });
    expect(firstDifferingRow(source, [...source, ['(B)', 'h0']])).toEqual({ key: '(B)', source: 'missing', target: 'row md5 h0' });
    // Byte order, not locale order: 'Z' (0x5a) before 'a' (0x61), 'é' (0xc3 0xa9) after 'z'.
    expect(firstDifferingRow([['(z)', '1'], ['(é)', '2']], [['(z)', '1'], ['(é)', '3'], ['(Z)', '1']])?.key).toBe('(Z)');
  });

  test('buckets that differ in count or sums, or exist on one side only', () => {
    expect(differingBuckets({ '00': '1:5/6', ab: '2:1/1', ff: '1:0/0' }, { '00': '1:5/6', ab: '2:1/2', cd: '1:3/3' })).toEqual(['ab', 'cd', 'ff']);
    expect(differingBuckets({ '00': '1:5/6' }, { '00': '1:5/6' })).toEqual([]);
  });
});

describe('VerboseCondenser', () => {
  test('pg_restore -v: one line per table with the source row count, object kinds counted, diagnostics kept', () => {
    let out = '';
    const reporter = new PhaseReporter(5, (t) => (out += t));
    const c = new VerboseCondenser('pg_restore', reporter, new Map([['public.metrics', 43200], ['public.runs', 40]]));
    for (const line of [
      'pg_restore: connecting to database for restore',
      'pg_restore: creating TABLE "public.metrics"',
      'pg_restore: creating TABLE "public.runs"',
      'pg_restore: processing data for table "public.metrics"',
      'pg_restore: processing data for table "public.runs"',
      'pg_restore: creating CONSTRAINT "public.metrics metric_pk"',
      'pg_restore: creating FK CONSTRAINT "public.metrics metrics_run_uuid_fkey"',
      'pg_restore: warning: errors ignored on restore: 0',
    ]) {
      c.onLine(line);
    }
    reporter.phase(3, 'restoring');
    expect(out).toBe(
      [
        '      public.metrics: 43200 rows (1/2 tables)',
        '      public.runs: 40 rows (2/2 tables)',
        '      pg_restore: warning: errors ignored on restore: 0',
        '[3/5] restoring',
        '',
      ].join('\n'),
    );
    expect(c.summary()).toBe('created 1 CONSTRAINT, 1 FK CONSTRAINT, 2 TABLE');
    expect(c.diagnostics).toEqual(['pg_restore: warning: errors ignored on restore: 0']);
  });

  test('pg_dump -v: data lines are "dumping contents of table"; nothing created', () => {
    let out = '';
    const c = new VerboseCondenser('pg_dump', new PhaseReporter(5, (t) => (out += t)), new Map([['public.runs', 40]]));
    c.onLine('pg_dump: reading extensions');
    c.onLine('pg_dump: dumping contents of table "public.runs"');
    c.onLine('pg_dump: dumping contents of table "public.unknown"');
    expect(out).toBe('      public.runs: 40 rows (1/1 tables)\n      public.unknown: ? rows (2/1 tables)\n');
    expect(c.summary()).toBeUndefined();
  });
});
