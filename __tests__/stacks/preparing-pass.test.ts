/**
 * synthWithoutPreparingPass (src/cdktf-internals.ts), which synth uses: cdktf's preparing pass
 * resolves every element once more before writing, only to set up cross-stack references. Without
 * it the output of the shipped app is byte-identical; an app with a cross-stack reference is
 * detected (false: the caller synthesizes a new app the cdktf way), and nothing stays patched.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { environments } from '../../src/config/environments';
import { buildApp } from '../../src/app';
import { synthWithoutPreparingPass } from '../../src/cdktf-internals';
import { APP_CONTEXT } from '../../src/synth';

const dirs: string[] = [];
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-prepare-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  }
  return out;
}

function shippedApp(outdir: string): App {
  const app = new App({ outdir, stackTraces: false, skipValidation: true, context: APP_CONTEXT });
  buildApp(app, environments);
  return app;
}

function twoStacks(outdir: string, crossStack: boolean): App {
  const app = new App({ outdir, stackTraces: false, skipValidation: true });
  const a = new TerraformStack(app, 'a');
  new AwsProvider(a, 'aws', { region: 'us-east-1' });
  const bucket = new S3Bucket(a, 'bucket', { bucket: 'bucket-a' });
  const b = new TerraformStack(app, 'b');
  new AwsProvider(b, 'aws', { region: 'us-east-1' });
  const local = new S3Bucket(b, 'bucket', { bucket: 'bucket-b' });
  new TerraformOutput(b, 'arn', { value: crossStack ? bucket.arn : local.arn });
  return app;
}

test('the shipped app: the same files as app.synth(), and no stack runs its preparing pass', () => {
  const [fast, cdktf] = [tmp(), tmp()];
  const prepare = jest.spyOn(TerraformStack.prototype, 'prepareStack');
  expect(synthWithoutPreparingPass(shippedApp(fast))).toBe(true);
  expect(prepare).not.toHaveBeenCalled();
  prepare.mockRestore();
  shippedApp(cdktf).synth();
  const written = files(fast);
  expect(Object.keys(written).filter((f) => f.endsWith('cdk.tf.json')).length).toBe(environments.length);
  expect(written).toEqual(files(cdktf));
});

test('stacks without references to each other: true, and the same files as app.synth()', () => {
  const [fast, cdktf] = [tmp(), tmp()];
  expect(synthWithoutPreparingPass(twoStacks(fast, false))).toBe(true);
  twoStacks(cdktf, false).synth();
  expect(files(fast)).toEqual(files(cdktf));
});

test('a reference to another stack is detected (false), and a new app synthesized the cdktf way gets the cross-stack wiring', () => {
  const fast = tmp();
  const app = twoStacks(fast, true);
  expect(synthWithoutPreparingPass(app)).toBe(false);
  // Nothing stays patched: the stacks prepare again, as cdktf's own synth does.
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  expect(stacks.every((s) => !Object.prototype.hasOwnProperty.call(s, 'prepareStack'))).toBe(true);
  const again = tmp();
  twoStacks(again, true).synth();
  const b = JSON.parse(fs.readFileSync(path.join(again, 'stacks/b/cdk.tf.json'), 'utf8'));
  expect(Object.keys(b.data?.terraform_remote_state ?? {})).toHaveLength(1);
  // A second fast synth of a new app detects it again: the watch was removed and re-installed, not left on.
  expect(synthWithoutPreparingPass(twoStacks(tmp(), true))).toBe(false);
  expect(synthWithoutPreparingPass(twoStacks(tmp(), false))).toBe(true);
});
