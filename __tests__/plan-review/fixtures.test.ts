/**
 * Every real plan in ../shared/fixtures/plans gives exactly the counts SOURCES.md lists for it
 * (parsed from its "What each one exercises" table, so the expectations are the curator's, not ours).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reviewPlan } from '../../src/plan-review';
import { loadPlan, sharedPlan, SHARED_PLANS } from './helpers';

interface Expected {
  id: string;
  create: number;
  update: number;
  replace: number;
  delete: number;
  forget: number;
  noop: number;
  driftUpdate: number;
  driftDelete: number;
}

function expectations(): Expected[] {
  const md = fs.readFileSync(path.join(SHARED_PLANS, 'SOURCES.md'), 'utf8');
  const section = md.slice(md.indexOf('## What each one exercises'), md.indexOf('## Gaps'));
  const rows: Expected[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (!/^\d\d$/.test(cells[1] ?? '')) continue;
    const n = (c: string) => parseInt(c, 10);
    const drift = cells[10] === '–' ? [0, 0] : cells[10].split('/').map(n);
    rows.push({ id: cells[1], create: n(cells[4]), update: n(cells[5]), replace: n(cells[6]), delete: n(cells[7]), forget: n(cells[8]), noop: n(cells[9]), driftUpdate: drift[0], driftDelete: drift[1] });
  }
  return rows;
}

const table = expectations();

test('SOURCES.md lists all 15 fixtures', () => {
  expect(table.map((r) => r.id)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15']);
});

test.each(table)('fixture $id: counts match SOURCES.md', (row) => {
  const s = reviewPlan(loadPlan(sharedPlan(row.id))).summary;
  expect({
    create: s.create,
    update: s.update,
    replace: s.replace,
    delete: s.delete,
    forget: s.forget,
    noop: s.noop,
    driftUpdate: s.driftUpdate,
    driftDelete: s.driftDelete,
  }).toEqual({
    create: row.create,
    update: row.update,
    replace: row.replace,
    delete: row.delete,
    forget: row.forget,
    noop: row.noop,
    driftUpdate: row.driftUpdate,
    driftDelete: row.driftDelete,
  });
});
