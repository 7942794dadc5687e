/**
 * A machine without terraform: the real-Terraform suites say what is missing (not an incidental
 * "Unexpected end of JSON input"), and with MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1 they skip, visibly,
 * while the rest of the suite still passes. Runs the project's own jest in a child process with
 * TERRAFORM_BINARY pointing at nothing (findTerraform then finds no terraform).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
/** The real-Terraform tests of the suite the child runs, counted in its source. */
const REAL_TESTS = fs.readFileSync(path.join(__dirname, 'offline.test.ts'), 'utf8').match(/^\s*realTest\(/gm)?.length ?? 0;

function childJest(file: string, extraEnv: NodeJS.ProcessEnv) {
  const env: NodeJS.ProcessEnv = { ...process.env, TERRAFORM_BINARY: '/nonexistent/terraform', NO_COLOR: '1', ...extraEnv };
  if (extraEnv.MLFLOW_INFRA_ALLOW_NO_TERRAFORM === undefined) delete env.MLFLOW_INFRA_ALLOW_NO_TERRAFORM;
  const r = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--runInBand', '--ci', file], { cwd: root, encoding: 'utf8', env });
  return { status: r.status, output: r.stdout + r.stderr, summary: r.stdout.split('\n').find((l) => l.startsWith('jest: ')) };
}

test('without terraform, each real-Terraform test fails saying what is missing', () => {
  const r = childJest('__tests__/terraform/offline.test.ts', {});
  expect(r.status).toBe(1);
  expect(r.output).not.toContain('Unexpected end of JSON input');
  expect(r.output).toContain('real-Terraform checks cannot run: missing terraform binary (TERRAFORM_BINARY=/nonexistent/terraform is not an executable file)');
  expect(r.output).toContain('set MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1 to skip');
  expect(REAL_TESTS).toBeGreaterThan(0);
  expect(r.summary).toMatch(new RegExp(`^jest: \\d+ passed, ${REAL_TESTS} failed, 0 skipped$`));
});

test('with MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1 they are skipped (and counted as skipped); everything else passes', () => {
  const r = childJest('__tests__/terraform/offline.test.ts', { MLFLOW_INFRA_ALLOW_NO_TERRAFORM: '1' });
  expect(r.output).toContain('real-Terraform tests are SKIPPED (MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1)');
  expect(r.summary).toMatch(new RegExp(`^jest: \\d+ passed, 0 failed, ${REAL_TESTS} skipped$`));
  expect(r.status).toBe(0);
});
