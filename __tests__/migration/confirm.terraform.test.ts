/**
 * The terraform confirmation at scale (issue 11): real `terraform plan -refresh=false -json` of a
 * generated migration (bench/migration/generate.js), through a TERRAFORM_BINARY wrapper that records
 * each terraform command and the settings it gets (GOGC, the provider SDKs' log level). A
 * creation-only plan is confirmed without `terraform show -json`; any replace or delete of a moved
 * instance is still a BLOCKER, found by terraform, also when a large count block is planned as
 * equivalent smaller blocks (src/terraform/count-split.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../bench/migration/generate';
import { confirmWithTerraform } from '../../src/migration/confirm';
import { MovePlan, planMigration } from '../../src/migration/planner';
import { simulate } from '../../src/migration/simulate';
import { StackJson } from '../../src/migration/stack';
import { findTerraform, PROVIDER_SDK_LOG_VARIABLES, TERRAFORM_GOGC } from '../../src/terraform';
import { readState, TerraformState } from '../../src/terraform-json/state';
import { cli, readJson, terraformTest, tmpDir } from './helpers';

const tfTest = terraformTest();
jest.setTimeout(300000);

interface Generated {
  dir: string;
  legacy: TerraformState;
  stack: StackJson;
  plan: MovePlan;
  /** terraform through a wrapper that appends `<subcommand> GOGC=<value> TF_LOG_SDK_PROTO=<value>` to `log`. */
  env: NodeJS.ProcessEnv;
  log: string;
}

function generated(instances = 40): Generated {
  const dir = tmpDir('migrate-confirm-');
  const g = generate(dir, instances);
  const legacy = readState(g.stateFile);
  const stack = readJson<StackJson>(g.stackFile);
  const log = path.join(dir, 'terraform-commands.log');
  const wrapper = path.join(dir, 'terraform-wrapper.sh');
  const terraform = findTerraform();
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh\nfor a in "$@"; do case "$a" in -*) ;; *) printf '%s GOGC=%s TF_LOG_SDK_PROTO=%s\\n' "$a" "$GOGC" "$TF_LOG_SDK_PROTO" >> '${log}'; break;; esac; done\nexec '${terraform}' "$@"\n`,
    { mode: 0o755 },
  );
  const plan = planMigration({ legacy, stack, stackName: 'bench' });
  const env: NodeJS.ProcessEnv = { ...process.env, TERRAFORM_BINARY: wrapper };
  for (const v of ['GOGC', 'TF_LOG', 'TF_LOG_PATH', 'TF_LOG_CORE', ...PROVIDER_SDK_LOG_VARIABLES]) delete env[v];
  return { dir, legacy, stack, plan, env, log };
}

/** What the confirmation reports for the creation of a log group the legacy state does not have. */
const EXTRA_CREATION = { address: 'aws_cloudwatch_log_group.extra', type: 'aws_cloudwatch_log_group', actions: ['create'], replacePaths: [], changedAttributes: [] };

const commands = (g: Generated) => fs.readFileSync(g.log, 'utf8').trim().split('\n');
/** How each terraform command runs: Go's collector at TERRAFORM_GOGC, the provider SDKs' logs off. */
const run = (command: string) => `${command} GOGC=${TERRAFORM_GOGC} TF_LOG_SDK_PROTO=off`;

describe('the terraform confirmation of a generated migration', () => {
  tfTest(`nothing to change: migrate plan exits 0 after one terraform plan (no init: the mirror's provider runs directly; no terraform show -json); terraform runs with GOGC=${TERRAFORM_GOGC} and the provider SDKs' logs off`, async () => {
    const g = generated();
    const r = await cli(['migrate', 'plan', '--state', 'legacy.tfstate', '--stack', 'stack.tf.json', '--out', 'moves.json', '--confirm-with-terraform'], g.dir, g.env);
    expect(r.stderr).toContain('terraform plans 0 creation(s) and no update, replace or delete: terraform show -json is not needed');
    expect(r.code).toBe(0);
    const plan = readJson<MovePlan>(path.join(g.dir, 'moves.json'));
    expect(plan.summary.moved).toBe(40);
    expect(plan.blockers).toEqual([]);
    expect(plan.terraformConfirmation).toEqual({ migratedChanges: [], creations: 0 });
    expect(commands(g)).toEqual([run('plan')]);
  });

  tfTest('creations only: the same result terraform show -json gives for a creation, without running it', async () => {
    const g = generated();
    const stack = JSON.parse(JSON.stringify(g.stack));
    stack.resource.aws_cloudwatch_log_group.extra = { name: '/bench/extra', retention_in_days: 30 };
    const result = await confirmWithTerraform(g.plan, stack, simulate(g.plan, g.legacy).state, undefined, g.env);
    expect(result.problems).toEqual([]);
    expect(result.changes).toEqual([EXTRA_CREATION]);
    expect(commands(g)).toEqual([run('plan')]);
  });

  tfTest('terraform still finds every replace, delete and update of a moved instance: each replace or delete a BLOCKER (read from terraform show -json); a large count block planned as equivalent smaller blocks gives the same, under the stack\'s addresses', async () => {
    const g = generated();
    // The plan was made against the generated stack; the stack terraform sees then differs: one log
    // group renamed (name forces replacement), one removed, the policy count three lower.
    const stack = JSON.parse(JSON.stringify(g.stack));
    stack.resource.aws_cloudwatch_log_group.lg_00003.name = '/bench/renamed';
    delete stack.resource.aws_cloudwatch_log_group.lg_00005;
    stack.resource.aws_iam_role_policy.policy.count = 17;
    stack.resource.aws_cloudwatch_log_group.extra = { name: '/bench/extra', retention_in_days: 30 };
    // ... and two policies' state: one named differently (replaced), one document (updated in place).
    const migrated = simulate(g.plan, g.legacy).state;
    const policies = migrated.resources.find((r) => r.type === 'aws_iam_role_policy')!;
    const instance = (key: number) => policies.instances.find((i) => i.index_key === key)!.attributes as Record<string, unknown>;
    instance(2).name = 'bench-policy-renamed';
    instance(9).policy = '{"Version":"2012-10-17","Statement":[]}';
    const whole = await confirmWithTerraform(g.plan, stack, migrated, undefined, g.env);
    const destroyed = (i: number) => `terraform plans to destroy aws_iam_role_policy.policy[${i}] (migrated from aws_iam_role_policy.policies[${i}])`;
    expect(whole.problems).toEqual([
      { severity: 'BLOCKER', message: 'terraform plans to replace (name) aws_cloudwatch_log_group.lg_00003 (migrated from aws_cloudwatch_log_group.logs[3])' },
      { severity: 'BLOCKER', message: 'terraform plans to destroy aws_cloudwatch_log_group.lg_00005 (migrated from aws_cloudwatch_log_group.logs[5])' },
      { severity: 'BLOCKER', message: 'terraform plans to replace (name) aws_iam_role_policy.policy[2] (migrated from aws_iam_role_policy.policies[2])' },
      ...[17, 18, 19].map((i) => ({ severity: 'BLOCKER', message: destroyed(i) })),
    ]);
    expect(whole.changes.map((c) => `${c.actions.join('+')} ${c.address} ${c.replacePaths.join(',')}`.trim())).toEqual([
      'create aws_cloudwatch_log_group.extra',
      'delete+create aws_cloudwatch_log_group.lg_00003 name',
      'delete aws_cloudwatch_log_group.lg_00005',
      'delete aws_iam_role_policy.policy[17]',
      'delete aws_iam_role_policy.policy[18]',
      'delete aws_iam_role_policy.policy[19]',
      'delete+create aws_iam_role_policy.policy[2] name',
      'update aws_iam_role_policy.policy[9]',
    ]);
    // The creation as terraform show -json describes it: what the creation-only path reports without it.
    expect(whole.changes[0]).toEqual(EXTRA_CREATION);
    expect(commands(g)).toEqual([run('plan'), run('show')]);

    // The policy block split into parts of 6: [0-5], [6-11], [12-16]; 17-19 land in the last part, past its count of 5.
    const split = await confirmWithTerraform(g.plan, stack, migrated, undefined, g.env, { splitCounts: { threshold: 4, partSize: 6 } });
    expect(split.changes).toEqual(whole.changes);
    expect(split.problems).toEqual(whole.problems);
    const splitNote = expect.stringContaining('planned aws_iam_role_policy.policy (count 17) as 3 blocks of at most 6 instances');
    expect(split.notes).toContainEqual(splitNote);
    expect(whole.notes).not.toContainEqual(splitNote);
  });
});
