/**
 * `mlflow-infra plan` and `drift` with the REAL terraform binary (not the test double of
 * cli.test.ts): a stack of built-in `terraform_data` resources with a local backend needs no
 * provider and no network, so init, plan -out, show -json and the review run end to end, with the
 * flags the commands pass (-lock=false, -lock-timeout, -refresh-only) checked by terraform itself.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import type { PlanReview } from '../../src/plan-review';
import { findTerraform } from '../../src/terraform';
import { terraformTest } from '../migration/helpers';
import { captureIo } from './helpers';

const tfTest = terraformTest();
jest.setTimeout(120000);

const STACK = 'demo';

function project(config: object): { root: string; stackDir: string; write: (c: object) => void; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-loop-tf-'));
  const stackDir = path.join(root, 'cdktf.out', 'stacks', STACK);
  fs.mkdirSync(stackDir, { recursive: true });
  const write = (c: object) => fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: 'terraform.tfstate' } } }, ...c }, null, 2));
  write(config);
  return { root, stackDir, write, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

async function run(argv: string[], cwd: string) {
  const io = captureIo({ cwd, env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', NO_COLOR: '1' } });
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const data = (input: string, trigger = 'a') => ({
  resource: { terraform_data: { db: { input, triggers_replace: [trigger] } } },
  output: { db_input: { value: '${terraform_data.db.output}' } },
});

tfTest('plan: a real saved plan, shown as JSON and reviewed (create, then update, then a guarded replacement); drift: a real refresh-only plan', async () => {
  const p = project(data('v1'));
  try {
    const first = await run(['plan', STACK, '--no-synth', '--format', 'json', '--no-lock'], p.root);
    expect(first.err).toContain('terraform -chdir=cdktf.out/stacks/demo plan');
    expect(first.code).toBe(2);
    const created = JSON.parse(first.out) as PlanReview;
    expect(created.terraformVersion).toBe(spawnSync(findTerraform()!, ['version', '-json'], { encoding: 'utf8' }).stdout.match(/"terraform_version": "([^"]+)"/)![1]);
    expect(created.summary).toMatchObject({ create: 1, outputs: 1 });
    expect(created.terraformCount).toEqual({ import: 0, add: 1, change: 0, destroy: 0 });

    const apply = spawnSync(findTerraform()!, [`-chdir=${p.stackDir}`, 'apply', '-auto-approve', '-input=false', 'tfplan'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    expect(apply.status).toBe(0);

    p.write(data('v2'));
    const update = await run(['plan', STACK, '--no-synth', '--format', 'json', '--lock-timeout', '.5s'], p.root);
    expect(update.code).toBe(2);
    const updated = JSON.parse(update.out) as PlanReview;
    expect(updated.resources.map((r) => [r.address, r.kind, r.attributes.map((a) => a.path)])).toEqual([['terraform_data.db', 'update', ['input', 'output']]]);

    p.write(data('v1', 'b'));
    const guarded = await run(['plan', STACK, '--no-synth', '--protect-type', 'terraform_data'], p.root);
    expect(guarded.code).toBe(3);
    expect(guarded.out).toContain('BLOCKED: 1 stateful resource(s) destroyed or replaced (exit 3)');
    expect(guarded.out).toContain("(Terraform's own count: 1 to add, 0 to change, 1 to destroy.)");
    const allowed = await run(['plan', STACK, '--no-synth', '--protect-type', 'terraform_data', '--allow-destroy', 'terraform_data.db'], p.root);
    expect(allowed.code).toBe(2);

    p.write(data('v1'));
    const drift = await run(['drift', STACK, '--no-synth', '--format', 'json', '--no-lock'], p.root);
    expect(drift.err).toContain('-refresh-only');
    expect(drift.code).toBe(0);
    expect(JSON.parse(drift.out)).toMatchObject({ refreshOnly: true, status: 'no-changes', summary: { drift: 0 } });
  } finally {
    p.cleanup();
  }
});
