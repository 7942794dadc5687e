/**
 * scripts/jest-summary-reporter.js: the one closing line CI reads. A suite that fails to run (here:
 * a syntax error, and a throw at load time) has no test results of its own; it must still count as
 * a failure. Each case runs a real child jest over a throwaway project with the reporter.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const reporter = path.join(root, 'scripts/jest-summary-reporter.js');
const jestBin = path.join(root, 'node_modules/jest/bin/jest.js');

function runJest(files: Record<string, string>): { status: number | null; summary: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-reporter-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const config = { rootDir: dir, testMatch: ['<rootDir>/*.test.js'], transform: {}, reporters: [reporter], cacheDirectory: path.join(dir, '.cache') };
    const r = spawnSync(process.execPath, [jestBin, '--config', JSON.stringify(config), '--runInBand', '--ci'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { status: r.status, summary: r.stdout.split('\n').filter((l) => l.startsWith('jest: ')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const passing = "test('adds', () => { expect(1 + 1).toBe(2); });\ntest('todo later', () => {});\ntest.skip('skipped', () => {});\n";
const failing = "test('fails', () => { expect(1).toBe(2); });\n";
const syntaxError = "test('never runs', () => {\n";
const throwsAtLoad = "throw new Error('terraform is missing');\ntest('never runs', () => {});\n";

test('a suite that fails to load counts as a failure, and is named', () => {
  const r = runJest({ 'broken.test.js': syntaxError });
  expect(r.status).toBe(1);
  expect(r.summary[0]).toBe('jest: 0 passed, 1 failed, 0 skipped (1 failed: a suite that did not run)');
  expect(r.summary[1]).toMatch(/^jest: did not run: broken\.test\.js: /);
});

test('failed suites add to failed tests; passing and skipped tests are counted as before', () => {
  const r = runJest({ 'a.test.js': passing, 'b.test.js': failing, 'c.test.js': syntaxError, 'd.test.js': throwsAtLoad });
  expect(r.status).toBe(1);
  expect(r.summary[0]).toBe('jest: 2 passed, 3 failed, 1 skipped (2 failed: suites that did not run)');
  expect(r.summary.slice(1).sort()).toEqual([expect.stringMatching(/^jest: did not run: c\.test\.js: /), 'jest: did not run: d.test.js: terraform is missing']);
});

test('a green run', () => {
  const r = runJest({ 'a.test.js': passing });
  expect(r.status).toBe(0);
  expect(r.summary).toEqual(['jest: 2 passed, 0 failed, 1 skipped']);
});
