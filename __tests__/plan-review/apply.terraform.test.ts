/**
 * `mlflow-infra apply <stack> --plan <saved plan>` with the REAL terraform binary: a stack of built-in
 * `terraform_data` resources with a local backend (no provider, no network), planned and reviewed by
 * `mlflow-infra plan`, which records the review next to the saved plan. apply runs only that plan,
 * for that stack, with those allow-lists, after a review that passed; everything else is refused
 * (exit 3) before terraform changes anything.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { terraformTest } from '../helpers/terraform';
import { captureIo } from './helpers';

const tfTest = terraformTest();
jest.setTimeout(180000);

const data = (input: string, trigger = 'a') => ({
  terraform: { backend: { local: { path: 'terraform.tfstate' } } },
  resource: { terraform_data: { db: { input, triggers_replace: [trigger] } } },
  output: { db_input: { value: '${terraform_data.db.output}' } },
});

function project() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-apply-tf-'));
  const dir = (stack: string) => path.join(root, 'cdktf.out', 'stacks', stack);
  const write = (stack: string, config: object) => {
    fs.mkdirSync(dir(stack), { recursive: true });
    fs.writeFileSync(path.join(dir(stack), 'cdk.tf.json'), JSON.stringify(config, null, 2));
  };
  const state = (stack: string) => {
    const file = path.join(dir(stack), 'terraform.tfstate');
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
  };
  return { root, dir, write, state, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

async function run(argv: string[], cwd: string) {
  const io = captureIo({ cwd, env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', NO_COLOR: '1' } });
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const PLAN = 'cdktf.out/stacks/demo/tfplan';

tfTest('only the reviewed plan, for its stack, with its allow-lists, is applied; a stale or re-synthesized plan is refused', async () => {
  const p = project();
  try {
    p.write('demo', data('v1'));
    p.write('other', data('other'));
    const plan = await run(['plan', 'demo', '--no-synth', '--allow-destroy', 'terraform_data.gone'], p.root);
    expect(plan.code).toBe(2);
    expect(plan.err).toContain(`review recorded in ${PLAN}.review.json; apply exactly this plan with: node bin/mlflow-infra.js apply demo --plan ${PLAN} --allow-destroy terraform_data.gone`);
    const record = JSON.parse(fs.readFileSync(path.join(p.root, `${PLAN}.review.json`), 'utf8'));
    expect(record).toMatchObject({ version: 1, stack: 'demo', mode: 'plan', allowDestroy: ['terraform_data.gone'], protectTypes: [], exitCode: 2, passed: true });
    expect(record.planSha256).toMatch(/^[0-9a-f]{64}$/);

    // Another stack's plan, different allow-lists: refused, every reason listed, nothing applied.
    const other = await run(['apply', 'other', '--plan', PLAN, '--allow-destroy', 'terraform_data.gone'], p.root);
    expect(other.code).toBe(3);
    expect(other.err).toContain(`  - ${PLAN} is a plan for stack 'demo', not 'other'\n`);
    const lists = await run(['apply', 'demo', '--plan', PLAN, '--protect-type', 'terraform_data'], p.root);
    expect(lists.code).toBe(3);
    expect(lists.err).toContain('mlflow-infra apply: refused, nothing was applied (2 reasons):');
    expect(lists.err).toContain('different --allow-destroy list (reviewed with but not given now: terraform_data.gone)');
    expect(lists.err).toContain('different --protect-type list (given now but not at review: terraform_data)');

    // A copy of the plan has no record; a changed plan file no longer matches it.
    fs.copyFileSync(path.join(p.root, PLAN), path.join(p.root, 'copy.tfplan'));
    const copy = await run(['apply', 'demo', '--plan', 'copy.tfplan', '--allow-destroy', 'terraform_data.gone'], p.root);
    expect(copy.code).toBe(3);
    expect(copy.err).toContain('copy.tfplan has no review record (copy.tfplan.review.json: no such file)');
    fs.copyFileSync(path.join(p.root, PLAN), path.join(p.root, 'copy.tfplan'));
    fs.copyFileSync(path.join(p.root, `${PLAN}.review.json`), path.join(p.root, 'copy.tfplan.review.json'));
    fs.appendFileSync(path.join(p.root, 'copy.tfplan'), 'x');
    const changed = await run(['apply', 'demo', '--plan', 'copy.tfplan', '--allow-destroy', 'terraform_data.gone'], p.root);
    expect(changed.code).toBe(3);
    expect(changed.err).toContain('copy.tfplan changed since it was reviewed');

    // A new synth after the plan: stale.
    const stackFile = path.join(p.dir('demo'), 'cdk.tf.json');
    const synthesized = fs.readFileSync(stackFile, 'utf8');
    fs.writeFileSync(stackFile, JSON.stringify(data('v2'), null, 2));
    const resynth = await run(['apply', 'demo', '--plan', PLAN, '--allow-destroy', 'terraform_data.gone'], p.root);
    expect(resynth.code).toBe(3);
    expect(resynth.err).toContain('the plan is stale: cdktf.out/stacks/demo/cdk.tf.json changed since it was planned');
    fs.writeFileSync(stackFile, synthesized);
    expect(p.state('demo')?.resources ?? []).toEqual([]);

    // The reviewed plan with its allow-lists: applied by terraform.
    const applied = await run(['apply', 'demo', '--plan', PLAN, '--allow-destroy', 'terraform_data.gone'], p.root);
    expect({ code: applied.code, err: applied.err }).toEqual({ code: 0, err: expect.stringContaining(`terraform -chdir=cdktf.out/stacks/demo apply -input=false ${path.join(p.root, PLAN)}`) });
    expect(applied.out).toBe(`applied ${PLAN} to demo\n`);
    expect(p.state('demo').resources.map((r: { type: string; name: string }) => `${r.type}.${r.name}`)).toEqual(['terraform_data.db']);
    expect(p.state('demo').outputs.db_input.value).toBe('v1');

    // Applying it again: terraform finds it stale (the state moved on); refused, not an error.
    const again = await run(['apply', 'demo', '--plan', PLAN, '--allow-destroy', 'terraform_data.gone'], p.root);
    expect(again.code).toBe(3);
    expect(again.err).toContain('refused by terraform: the plan is stale');
  } finally {
    p.cleanup();
  }
});

tfTest('a review that did not pass the guard is never applied', async () => {
  const p = project();
  try {
    p.write('demo', data('v1'));
    expect((await run(['plan', 'demo', '--no-synth'], p.root)).code).toBe(2);
    expect((await run(['apply', 'demo', '--plan', PLAN], p.root)).code).toBe(0);
    p.write('demo', data('v1', 'b'));
    const blocked = await run(['plan', 'demo', '--no-synth', '--protect-type', 'terraform_data'], p.root);
    expect(blocked.code).toBe(3);
    expect(blocked.err).toContain(`the review did not pass (exit 3); ${PLAN} will not be applied by mlflow-infra apply`);
    const before = p.state('demo');
    const refused = await run(['apply', 'demo', '--plan', PLAN, '--protect-type', 'terraform_data'], p.root);
    expect(refused.code).toBe(3);
    expect(refused.err).toContain('its review did not pass the guard (exit 3: blocked)');
    expect(p.state('demo')).toEqual(before);
  } finally {
    p.cleanup();
  }
});

test('usage: the stack must be synthesized, --plan is required', async () => {
  const p = project();
  try {
    p.write('demo', data('v1'));
    const unknown = await run(['apply', 'dem', '--plan', PLAN], p.root);
    expect(unknown.code).toBe(64);
    expect(unknown.err.split('\n')[0]).toBe("mlflow-infra apply: unknown stack 'dem' (did you mean demo?); synthesized stacks: demo");
    const noPlan = await run(['apply', 'demo'], p.root);
    expect(noPlan.code).toBe(64);
    expect(noPlan.err.split('\n')[0]).toContain('missing --plan <saved plan>');
  } finally {
    p.cleanup();
  }
});
