/** Every control of ../shared/security/rules.json is implemented by a rule or has a stated reason. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { coverageOf, UNCOVERED_CONTROLS } from '../../src/policy/coverage';
import { renderRuleTable } from '../../src/policy/rule-table';
import { ALL_RULES } from '../../src/policy/rules';
import { reasonProblem } from '../../src/constructs/suppress';

const rows = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../shared/security/rules.json'), 'utf8')) as { control: string }[];
const controls = [...new Set(rows.map((r) => r.control))];

test('rules.json has the 121 controls the pack maps', () => {
  expect(controls).toHaveLength(121);
});

test('every control has a rule or a documented reason, never both', () => {
  const coverage = coverageOf(controls);
  expect(coverage.filter((c) => c.rules.length === 0 && !c.uncovered).map((c) => c.control)).toEqual([]);
  expect(coverage.filter((c) => c.rules.length > 0 && c.uncovered).map((c) => c.control)).toEqual([]);
  expect(Object.keys(UNCOVERED_CONTROLS).filter((c) => !controls.includes(c))).toEqual([]);
  // The same bar as a suppression's reason: at least one written sentence.
  for (const [control, u] of Object.entries(UNCOVERED_CONTROLS)) expect({ control, problem: reasonProblem(u.reason) }).toEqual({ control, problem: undefined });
});

test('docs/policy.md carries the current generated rule table', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/policy.md'), 'utf8');
  expect(doc).toContain(renderRuleTable(ALL_RULES));
});
