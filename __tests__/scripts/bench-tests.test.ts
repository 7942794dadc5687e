/**
 * bench/tests/run: `npm test` timed, and the CPU budget CI checks (2 cores x 120 s). Runs the bench on
 * one small test file (a child jest) to see that it reports, passes jest's verdict through and
 * checks what it says it checks.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const bench = (args: string[]) => spawnSync(process.execPath, ['bench/tests/run', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

test('times npm test (jest arguments passed through) and reports wall and CPU against the targets', () => {
  const r = bench(['--json', '--check', '--', '__tests__/config/staging-base.test.ts']);
  expect(r.status).toBe(0);
  const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n  "command"')));
  expect(json).toMatchObject({ command: 'npm test -- __tests__/config/staging-base.test.ts', exitCode: 0, targets: { wallSeconds: 120, cpuBudgetSeconds: 240 }, wallMet: true, cpuMet: true });
  expect(json.cpuSeconds).toBeGreaterThan(0);
  expect(json.wallSeconds).toBeGreaterThan(0);
});

test("jest's failure is the bench's failure", () => {
  const r = bench(['--check', '--', '__tests__/no-such-file.test.ts']);
  expect(r.status).not.toBe(0);
  expect(r.stdout).toContain('bench/tests: npm test -- __tests__/no-such-file.test.ts: ');
});

test('an unknown option is a usage error', () => {
  const r = bench(['--chek']);
  expect(r.status).toBe(64);
  expect(r.stderr).toContain('bench/tests: unknown option --chek');
});
