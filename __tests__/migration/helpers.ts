import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import { TerraformState } from '../../src/terraform-json/state';

export const LEGACY_STATE = path.resolve(__dirname, '../../../shared/legacy/state/production.tfstate');
export const LEGACY_DIR = path.resolve(__dirname, '../../../shared/legacy/aws-production/terraform');
export const FIXTURE_STATES = path.resolve(__dirname, '../../../shared/fixtures/states');
export const SYNTHETIC_STACK = path.join(__dirname, 'fixtures', 'production-stack.synthetic.tf.json');
export const PRODUCTION_OVERRIDES = path.resolve(__dirname, '../../migration/production.overrides.json');
export const RUNBOOK = path.resolve(__dirname, '../../migration/README.md');

export function tmpDir(prefix = 'migrate-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function copyState(file: string, dir: string, name = 'legacy.tfstate'): string {
  const to = path.join(dir, name);
  fs.copyFileSync(file, to);
  fs.chmodSync(to, 0o644);
  return to;
}

export function writeState(dir: string, name: string, state: TerraformState): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(state, null, 2));
  return file;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mlflow-infra <argv>` in-process with captured output. */
export async function cli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => Buffer.alloc(0), isTty: false, env, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Real-Terraform tests: see __tests__/helpers/terraform.ts. */
export { terraformTest } from '../helpers/terraform';

/** A minimal v4 state. */
export function state(resources: TerraformState['resources'], serial = 7, lineage = '11111111-2222-3333-4444-555555555555'): TerraformState {
  return { version: 4, terraform_version: '1.11.4', serial, lineage, outputs: {}, resources };
}

export const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';
