/**
 * Progress on stderr: numbered phases (`[3/5] restoring ...`) and `pg_dump -v` / `pg_restore -v`
 * output condensed to one line per table's data plus a per-kind count of the other objects.
 */

export class PhaseReporter {
  constructor(
    private readonly total: number,
    private readonly write: (text: string) => void,
  ) {}

  phase(n: number, text: string): void {
    this.write(`[${n}/${this.total}] ${text}\n`);
  }

  detail(text: string): void {
    this.write(`      ${text}\n`);
  }
}

const DATA_LINE: Record<'pg_dump' | 'pg_restore', RegExp> = {
  pg_dump: /^pg_dump: dumping contents of table "(.+)"$/,
  pg_restore: /^pg_restore: processing data for table "(.+)"$/,
};
const CREATING = /^pg_restore: creating (.+?) "/;
const DIAGNOSTIC = /^(pg_dump|pg_restore): (error|warning|detail|hint): /;

/**
 * Turns verbose lines into progress: `public.metrics: 50000 rows (12/19 tables)` for each table's
 * data, diagnostics passed through, everything else counted or dropped.
 */
export class VerboseCondenser {
  private tablesDone = 0;
  private readonly created = new Map<string, number>();
  readonly diagnostics: string[] = [];

  constructor(
    private readonly tool: 'pg_dump' | 'pg_restore',
    private readonly reporter: PhaseReporter,
    /** Exact source row counts by `schema.table`, from the preflight snapshot. */
    private readonly rowsByTable: ReadonlyMap<string, number>,
  ) {}

  readonly onLine = (line: string): void => {
    const data = DATA_LINE[this.tool].exec(line);
    if (data) {
      this.tablesDone += 1;
      const rows = this.rowsByTable.get(data[1]);
      const total = this.rowsByTable.size;
      this.reporter.detail(`${data[1]}: ${rows === undefined ? '?' : rows} rows (${this.tablesDone}/${total} tables)`);
      return;
    }
    const creating = CREATING.exec(line);
    if (creating) {
      this.created.set(creating[1], (this.created.get(creating[1]) ?? 0) + 1);
      return;
    }
    if (DIAGNOSTIC.test(line)) {
      this.diagnostics.push(line);
      this.reporter.detail(line);
    }
  };

  /** e.g. `created 19 TABLE, 21 FK CONSTRAINT, 19 CONSTRAINT, 4 INDEX` (kinds sorted), or undefined. */
  summary(): string | undefined {
    if (this.created.size === 0) return undefined;
    const kinds = [...this.created.entries()].sort(([a], [b]) => a.localeCompare(b));
    return `created ${kinds.map(([k, n]) => `${n} ${k}`).join(', ')}`;
  }
}
