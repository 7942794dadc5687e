/**
 * The helper scripts with the real terraform binary: separate-state and same-state migrations of the
 * shipped legacy state and of a varied state, then `terraform plan -refresh=false` of the new stack
 * against the migrated state (offline workspace), fault injection, refusals, moved blocks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { production } from '../../src/config/environments/production';
import { applyPlan } from '../../src/migration/apply';
import { confirmWithTerraform } from '../../src/migration/confirm';
import type { PlanReview } from '../../src/plan-review';
import { MovePlan } from '../../src/migration/planner';
import { StackJson } from '../../src/migration/stack';
import { listAddresses, managedByAddress, readState, TerraformState } from '../../src/terraform-json/state';
import { findTerraform, prepareOfflineWorkspace } from '../../src/terraform';
import { synthStack } from '../helpers/synth';
import { AWS, cli, copyState, LEGACY_STATE, PRODUCTION_OVERRIDES, readJson, RUNBOOK, state, terraformTest, tmpDir, writeState } from './helpers';

const tfTest = terraformTest();

jest.setTimeout(300000);

/** The runbook table row (migration/README.md, step 7) of one address. */
function runbookRow(runbook: string, address: string): string {
  return runbook.split('\n').find((l) => l.startsWith(`| \`${address}\``)) ?? '';
}

/** Synthesized production stack + its move plan (no terraform confirmation: the tests run terraform themselves). */
async function productionSetup(dir: string): Promise<{ stackFile: string; stack: StackJson; movesFile: string; plan: MovePlan }> {
  const stack = synthStack(production) as StackJson;
  const stackDir = path.join(dir, 'cdktf.out', 'stacks', 'mlflow-production');
  fs.mkdirSync(stackDir, { recursive: true });
  const stackFile = path.join(stackDir, 'cdk.tf.json');
  fs.writeFileSync(stackFile, JSON.stringify(stack, null, 2));
  const legacy = copyState(LEGACY_STATE, dir);
  const r = await cli(['migrate', 'plan', '--state', legacy, '--stack', 'mlflow-production', '--overrides', PRODUCTION_OVERRIDES, '--out', 'moves.json', '--no-terraform'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { stackFile, stack, movesFile: path.join(dir, 'moves.json'), plan: readJson<MovePlan>(path.join(dir, 'moves.json')) };
}

describe('separate states: shipped legacy state -> mlflow-production', () => {
  let dir: string;
  let setup: Awaited<ReturnType<typeof productionSetup>>;
  const original = fs.readFileSync(LEGACY_STATE);

  beforeAll(async () => {
    dir = tmpDir();
    setup = await productionSetup(dir);
  });

  tfTest('dry run prints every exact, quoted command and changes nothing', async () => {
    const r = await cli(['migrate', 'apply', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate', '--dry-run'], dir);
    expect(r.code).toBe(0);
    const tf = findTerraform()!;
    expect(r.stderr).toContain(`[1/34] ${tf} state mv -state=${path.join(dir, 'legacy.tfstate')} -state-out=${path.join(dir, 'new.tfstate')} aws_cloudwatch_log_group.mlflow aws_cloudwatch_log_group.mlflow_logs`);
    expect(r.stderr).toContain(`'aws_subnet.public[0]' aws_subnet.network_public_us_east_1a`);
    expect(r.stderr).toContain(`[34/34] ${tf} state rm -state=${path.join(dir, 'legacy.tfstate')} aws_iam_role_policy_attachment.ecs_task_execution_role_policy`);
    expect(fs.existsSync(path.join(dir, 'new.tfstate'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'legacy.tfstate'))).toEqual(original);
  });

  tfTest('apply moves all 33 + retires 1 with progress, backups first; verify proves each exists exactly once', async () => {
    const r = await cli(['migrate', 'apply', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\[1\/34\] mv aws_cloudwatch_log_group.mlflow -> aws_cloudwatch_log_group.mlflow_logs/);
    expect(r.stderr).toMatch(/\[34\/34\] rm aws_iam_role_policy_attachment.ecs_task_execution_role_policy \(retired: /);
    const backups = fs.readdirSync(dir).filter((f) => f.endsWith('.pre-migrate.backup'));
    expect(backups).toHaveLength(1); // new.tfstate did not exist yet
    expect(fs.readFileSync(path.join(dir, backups[0]))).toEqual(original);
    // One rewrite of each state: no per-move terraform backups; the states are private.
    expect(fs.readdirSync(dir).filter((f) => /\.\d+\.backup$/.test(f))).toEqual([]);
    for (const f of ['legacy.tfstate', 'new.tfstate']) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.migrate.lock'))).toEqual([]);

    const migrated = readState(path.join(dir, 'new.tfstate'));
    expect(listAddresses(migrated, 'managed')).toEqual(setup.plan.entries.filter((e) => e.target).map((e) => e.target!).sort());
    expect(listAddresses(readState(path.join(dir, 'legacy.tfstate')), 'managed')).toEqual([]);

    const v = await cli(['migrate', 'verify', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'], dir);
    expect(v.stdout).toBe('verified: 34 legacy instance(s) each exist exactly once where the plan says\n');
    expect(v.code).toBe(0);

    const again = await cli(['migrate', 'apply', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 step\(s\) run, 34 skipped/);
  });

  tfTest('terraform plan -refresh=false of the stack against the migrated state: no destroy, no replace of a migrated stateful resource; every update is in the runbook', async () => {
    const migrated = readState(path.join(dir, 'new.tfstate'));
    const result = await confirmWithTerraform(setup.plan, setup.stack, migrated);
    const migratedChanges = result.changes.filter((c) => c.migratedFrom);
    expect(result.changes.length).toBeGreaterThan(0);
    expect(migratedChanges.filter((c) => c.actions.includes('delete') && !c.actions.includes('create'))).toEqual([]);
    const replaced = migratedChanges.filter((c) => c.actions.includes('delete')).map((c) => c.address);
    expect(replaced).toEqual(['aws_ecs_task_definition.mlflow_task']); // a new task definition revision, explained in the runbook
    // The legacy private route table keeps its identity and its routes: no inline routes in the
    // configuration leave them alone; its default route is an aws_route adopted by an import block.
    const privateTable = migratedChanges.find((c) => c.address === 'aws_route_table.network_private_routes_us_east_1a');
    expect(privateTable?.changedAttributes.filter((a) => a !== 'tags_all') ?? []).toEqual([]);
    expect(result.changes.map((c) => c.address)).toEqual(expect.arrayContaining(['aws_route.network_private_routes_us_east_1b_nat', 'aws_route.network_private_routes_us_east_1a_client_10_100_0_0_16']));
    expect(result.problems.filter((p) => p.severity === 'BLOCKER')).toEqual([]);
    // The database is updated in place, never replaced: engine_version "15.7" -> "15" (the major pin,
    // a prefix of the running version) and Performance Insights (off in the legacy state) enabled
    // with the stack key. Both are explained in the runbook.
    const database = result.changes.find((c) => c.address === 'aws_db_instance.database_instance')!;
    expect(database.actions).toEqual(['update']);
    expect(database.changedAttributes).toEqual(expect.arrayContaining(['engine_version', 'performance_insights_enabled', 'performance_insights_kms_key_id']));
    const dbRow = runbookRow(fs.readFileSync(RUNBOOK, 'utf8'), 'aws_db_instance.database_instance');
    expect(dbRow).toContain('`engine_version` "15.7" → "15"');
    expect(dbRow).toContain('`performance_insights_kms_key_id`');
    // The runbook's table lists every migrated resource the plan changes (tags_all-only updates too),
    // and for updates every changed attribute, in backticks, in the row that names the address.
    const rows = fs.readFileSync(RUNBOOK, 'utf8').split('\n').filter((l) => l.startsWith('| `'));
    const rowFor = (address: string) => rows.find((r) => r.split(' | ')[0].includes(`\`${address}\``));
    const missing = migratedChanges.filter((c) => !rowFor(c.address)).map((c) => `${c.address} (${c.actions.join('+')}: ${c.changedAttributes.join(', ')})`);
    expect(missing).toEqual([]);
    const unlisted = migratedChanges
      .filter((c) => c.actions.join() === 'update')
      .flatMap((c) => c.changedAttributes.filter((a) => !rowFor(c.address)!.includes(`\`${a}\``)).map((a) => `${c.address}.${a}`));
    expect(unlisted).toEqual([]);
    expect(migratedChanges.filter((c) => c.changedAttributes.join() === 'tags_all').length).toBeGreaterThan(0);
  });
});

describe('same state', () => {
  tfTest('apply --same-state moves in place; verify --same-state passes; kept entries need nothing', async () => {
    const dir = tmpDir();
    await productionSetup(dir);
    const r = await cli(['migrate', 'apply', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--same-state'], dir);
    expect(r.code).toBe(0);
    const s = readState(path.join(dir, 'legacy.tfstate'));
    expect(s.lineage).toBe('3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c');
    expect(s.serial).toBeGreaterThan(42);
    expect(managedByAddress(s).has('aws_db_instance.database_instance')).toBe(true);
    const v = await cli(['migrate', 'verify', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--same-state'], dir);
    expect(v.code).toBe(0);
  });
});

/** Full attribute sets as the AWS provider wrote them (from the shipped legacy state), with other ids. */
function realAttributes(type: string, overrides: Record<string, unknown>): Record<string, unknown> {
  const legacy = readState(LEGACY_STATE).resources.find((r) => r.type === type)!;
  return { ...legacy.instances[0].attributes, tags: {}, tags_all: {}, ...overrides };
}

/** A legacy state with modules, for_each string keys (space and quote), data sources and three providers. */
function variedLegacy(): TerraformState {
  const RANDOM = 'provider["registry.terraform.io/hashicorp/random"]';
  const BUILTIN = 'provider["terraform.io/builtin/terraform"]';
  return state([
    { module: 'module.net["eu west"]', mode: 'managed', type: 'aws_vpc', name: 'this', provider: AWS, instances: [{ schema_version: 1, attributes: realAttributes('aws_vpc', { id: 'vpc-1', cidr_block: '10.1.0.0/16', tags: { Name: 'eu' }, tags_all: { Name: 'eu' } }) }] },
    {
      module: 'module.net["eu west"]',
      mode: 'managed',
      type: 'aws_subnet',
      name: 'this',
      provider: AWS,
      instances: [
        { index_key: "a'1", schema_version: 1, attributes: realAttributes('aws_subnet', { id: 'subnet-a', vpc_id: 'vpc-1', cidr_block: '10.1.1.0/24', availability_zone: 'us-east-1a', map_public_ip_on_launch: false }) },
        { index_key: 'b 2', schema_version: 1, attributes: realAttributes('aws_subnet', { id: 'subnet-b', vpc_id: 'vpc-1', cidr_block: '10.1.2.0/24', availability_zone: 'us-east-1b', map_public_ip_on_launch: false }) },
      ],
    },
    { mode: 'data', type: 'aws_caller_identity', name: 'current', provider: AWS, instances: [{ attributes: { id: '123456789012', account_id: '123456789012' } }] },
    { module: 'module.net["eu west"]', mode: 'data', type: 'aws_region', name: 'current', provider: AWS, instances: [{ attributes: { id: 'us-east-1', name: 'us-east-1' } }] },
    { mode: 'managed', type: 'random_id', name: 'suffix', provider: RANDOM, instances: [{ attributes: { id: 'abcd', hex: '69b7', byte_length: 2 } }] },
    { mode: 'managed', type: 'terraform_data', name: 'marker', provider: BUILTIN, instances: [{ attributes: { id: 'marker-1', input: { value: 'v1', type: 'string' }, output: { value: 'v1', type: 'string' }, triggers_replace: null } }] },
  ]);
}

const variedStack: StackJson = {
  provider: { aws: [{ region: 'us-east-1' }] },
  terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.0, < 6.0' } } } as never,
  resource: {
    aws_vpc: { network_vpc: { cidr_block: '10.1.0.0/16', tags: { Name: 'eu' } } },
    aws_subnet: {
      network_subnet_a: { vpc_id: '${aws_vpc.network_vpc.id}', cidr_block: '10.1.1.0/24', availability_zone: 'us-east-1a' },
      network_subnet_b: { vpc_id: '${aws_vpc.network_vpc.id}', cidr_block: '10.1.2.0/24', availability_zone: 'us-east-1b' },
    },
    terraform_data: { marker: { input: 'v1' } },
  },
};

describe('varied state: modules, for_each string keys, data sources, several providers', () => {
  tfTest('plan, dry run quoting, apply, verify and a clean terraform plan', async () => {
    const dir = tmpDir();
    writeState(dir, 'legacy.tfstate', variedLegacy());
    fs.writeFileSync(path.join(dir, 'stack.tf.json'), JSON.stringify(variedStack));
    fs.writeFileSync(path.join(dir, 'overrides.json'), JSON.stringify({ retire: [{ address: 'random_id.suffix', reason: 'the new stack names things without a random suffix' }] }));
    const p = await cli(['migrate', 'plan', '--state', 'legacy.tfstate', '--stack', 'stack.tf.json', '--overrides', 'overrides.json', '--out', 'moves.json', '--no-terraform'], dir);
    expect(p.code).toBe(0);
    const plan = readJson<MovePlan>(path.join(dir, 'moves.json'));
    expect(plan.entries.map((e) => [e.source, e.status, e.target ?? null])).toEqual([
      ['data.aws_caller_identity.current', 'data-source', null],
      ['module.net["eu west"].aws_subnet.this["a\'1"]', 'moved', 'aws_subnet.network_subnet_a'],
      ['module.net["eu west"].aws_subnet.this["b 2"]', 'moved', 'aws_subnet.network_subnet_b'],
      ['module.net["eu west"].aws_vpc.this', 'moved', 'aws_vpc.network_vpc'],
      ['module.net["eu west"].data.aws_region.current', 'data-source', null],
      ['random_id.suffix', 'retired', null],
      ['terraform_data.marker', 'kept', 'terraform_data.marker'],
    ]);

    const dry = await cli(['migrate', 'apply', '--plan', 'moves.json', '--stack', 'stack.tf.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate', '--dry-run'], dir);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain(`'module.net["eu west"].aws_subnet.this["a'\\''1"]' aws_subnet.network_subnet_a`);
    expect(dry.stderr).toContain(`'module.net["eu west"].aws_vpc.this' aws_vpc.network_vpc`);

    const r = await cli(['migrate', 'apply', '--plan', 'moves.json', '--stack', 'stack.tf.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'], dir);
    expect(r.stderr).not.toMatch(/failed/);
    expect(r.code).toBe(0);
    const after = readState(path.join(dir, 'new.tfstate'));
    expect(listAddresses(after, 'managed')).toEqual(['aws_subnet.network_subnet_a', 'aws_subnet.network_subnet_b', 'aws_vpc.network_vpc', 'terraform_data.marker']);
    expect((await cli(['migrate', 'verify', '--plan', 'moves.json', '--stack', 'stack.tf.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'], dir)).code).toBe(0);
    // Data sources stay behind in the legacy state (they are re-read), managed instances are all gone from it.
    expect(listAddresses(readState(path.join(dir, 'legacy.tfstate')))).toEqual(['data.aws_caller_identity.current', 'module.net["eu west"].data.aws_region.current']);

    const ws = prepareOfflineWorkspace({ stackJson: variedStack, state: after });
    try {
      expect((await ws.run(['init', '-input=false', '-no-color'])).code).toBe(0);
      const planRun = await ws.run(['plan', '-refresh=false', '-input=false', '-no-color', '-detailed-exitcode']);
      expect(planRun.stderr).toBe('');
      expect(planRun.stdout).not.toMatch(/must be replaced|will be destroyed/);
    } finally {
      ws.cleanup();
    }
  });
});

describe('fault injection and refusals', () => {
  tfTest('terraform cannot read the rewritten state (injected): exit 1, nothing changed, no temporary file left; the rerun completes', async () => {
    const dir = tmpDir();
    await productionSetup(dir);
    const wrapper = path.join(dir, 'terraform-flaky');
    fs.writeFileSync(wrapper, `#!/bin/sh\nif [ "$1" = state ] && [ "$2" = list ] && [ ! -e ${dir}/failed ]; then touch ${dir}/failed; echo "injected: cannot read state" >&2; exit 1; fi\nexec ${findTerraform()} "$@"\n`, { mode: 0o755 });
    const args = ['migrate', 'apply', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'];
    const first = await cli(args, dir, { ...process.env, TERRAFORM_BINARY: wrapper });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/terraform did not read the rewritten state .*new\.tfstate\.migrate-new as expected \(exit 1\):\ninjected: cannot read state\nNothing was changed/);
    expect(fs.readFileSync(path.join(dir, 'legacy.tfstate'))).toEqual(fs.readFileSync(LEGACY_STATE));
    expect(fs.existsSync(path.join(dir, 'new.tfstate'))).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.migrate-new') || f.endsWith('.migrate.lock'))).toEqual([]);
    const second = await cli(args, dir, { ...process.env, TERRAFORM_BINARY: wrapper });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^34 step\(s\) run, 0 skipped/);
    expect((await cli(['migrate', 'verify', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'], dir)).code).toBe(0);
  });

  tfTest('interrupted after the new state is written, before the legacy one: every object is in the new state; the rerun removes the copies; backups read-only', async () => {
    const dir = tmpDir();
    const { plan, stack } = await productionSetup(dir);
    const from = path.join(dir, 'legacy.tfstate');
    const to = path.join(dir, 'new.tfstate');
    const interrupted = applyPlan({
      plan,
      stack,
      fromState: from,
      toState: to,
      dryRun: false,
      terraform: findTerraform()!,
      env: process.env,
      progress: () => undefined,
      onCommit: (file) => {
        if (file === to) throw new Error('killed');
      },
    });
    await expect(interrupted).rejects.toThrow('killed');
    expect(listAddresses(readState(to), 'managed')).toHaveLength(33);
    expect(fs.readFileSync(from)).toEqual(fs.readFileSync(LEGACY_STATE));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.migrate.lock'))).toEqual([]);

    const args = ['--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'];
    const rerun = await cli(['migrate', 'apply', ...args], dir);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain('rm aws_cloudwatch_log_group.mlflow (already copied to aws_cloudwatch_log_group.mlflow_logs; finishing an interrupted move)');
    expect(listAddresses(readState(from), 'managed')).toEqual([]);
    expect((await cli(['migrate', 'verify', ...args], dir)).code).toBe(0);
    const backups = fs.readdirSync(dir).filter((f) => f.endsWith('.pre-migrate.backup')).sort();
    expect(backups).toHaveLength(3); // run 1: legacy; run 2: legacy + new
    expect(fs.readFileSync(path.join(dir, backups.find((b) => b.startsWith('legacy.tfstate'))!))).toEqual(fs.readFileSync(LEGACY_STATE));
    for (const b of backups) expect(fs.statSync(path.join(dir, b)).mode & 0o777).toBe(0o400);
  });

  tfTest('refuses, before changing anything: occupied target, changed serial, another lineage, a held lock', async () => {
    const dir = tmpDir();
    await productionSetup(dir);
    const args = ['migrate', 'apply', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'];
    writeState(dir, 'new.tfstate', state([{ mode: 'managed', type: 'aws_vpc', name: 'network_vpc', provider: AWS, instances: [{ attributes: { id: 'vpc-other' } }] }], 1, 'aaaa'));
    const occupied = await cli(args, dir);
    expect(occupied.code).toBe(3);
    expect(occupied.stderr).toContain('target aws_vpc.network_vpc is already occupied by another object (id vpc-other; aws_vpc.main has id vpc-0a1b2c3d4e5f60718)');
    fs.rmSync(path.join(dir, 'new.tfstate'));

    const legacy = readState(path.join(dir, 'legacy.tfstate'));
    writeState(dir, 'legacy.tfstate', { ...legacy, serial: 43 });
    const changed = await cli(args, dir);
    expect(changed.stderr).toContain('serial is 43, the plan was made at serial 42: the state changed since planning (plan again)');
    writeState(dir, 'legacy.tfstate', { ...legacy, lineage: 'another' });
    expect((await cli(args, dir)).stderr).toContain('lineage another is not the planned 3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c');
    copyState(LEGACY_STATE, dir);

    fs.writeFileSync(path.join(dir, 'legacy.tfstate.migrate.lock'), '{"pid":1}\n');
    const locked = await cli(args, dir);
    expect(locked.code).toBe(3);
    expect(locked.stderr).toContain('legacy.tfstate.migrate.lock exists ({"pid":1}): another migration is running');
    expect(fs.readdirSync(dir).filter((f) => f.includes('backup'))).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'legacy.tfstate'))).toEqual(fs.readFileSync(LEGACY_STATE));
  });
});

describe('moved blocks (same-state mode without state mv)', () => {
  tfTest('moved + removed blocks make terraform plan the moves with no destroy of a migrated resource', async () => {
    const dir = tmpDir();
    const { stack } = await productionSetup(dir);
    const r = await cli(['migrate', 'moved-blocks', '--plan', 'moves.json', '--stack', 'mlflow-production'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('wrote 33 moved and 1 removed block(s) to cdktf.out/stacks/mlflow-production/moved.tf.json\n');
    const blocks = readJson<{ moved: { from: string; to: string }[]; removed: unknown[] }>(path.join(dir, 'cdktf.out/stacks/mlflow-production/moved.tf.json'));
    expect(blocks.moved).toContainEqual({ from: 'aws_subnet.public[0]', to: 'aws_subnet.network_public_us_east_1a' });
    expect(blocks.removed).toEqual([{ from: 'aws_iam_role_policy_attachment.ecs_task_execution_role_policy', lifecycle: { destroy: false } }]);
    // The offline workspace replaces random_password with terraform_data in config and state, so the
    // random password's moved block is rewritten to the stand-in addresses (same move, stubbed types).
    const moved = blocks.moved.map((m) =>
      m.from.startsWith('random_password.') ? { from: `terraform_data.random_password_${m.from.split('.')[1]}`, to: `terraform_data.random_password_${m.to.split('.')[1]}` } : m,
    );
    const ws = prepareOfflineWorkspace({ stackJson: { ...stack, moved, removed: blocks.removed }, state: readState(LEGACY_STATE) });
    try {
      expect((await ws.run(['init', '-input=false', '-no-color'])).code).toBe(0);
      const planRun = await ws.run(['plan', '-refresh=false', '-input=false', '-no-color', '-out=p.bin']);
      expect(planRun.stderr).toBe('');
      const showJson = (await ws.run(['show', '-json', 'p.bin'])).stdout;
      const show = JSON.parse(showJson) as { resource_changes: { address: string; previous_address?: string; change: { actions: string[]; replace_paths?: unknown } }[] };
      const movedChanges = show.resource_changes.filter((c) => c.previous_address);
      expect(movedChanges.length).toBe(33);
      expect(movedChanges.filter((c) => c.change.actions.includes('delete') && !c.change.actions.includes('create'))).toEqual([]);
      const replaced = movedChanges.filter((c) => c.change.actions.includes('delete'));
      // The task definition gets a new revision (explained in the runbook). The offline stand-in for
      // the random password is keyed by name, so renaming it changes the stub's input and output: the
      // secret version built from that value shows as replaced. With the real random provider
      // a moved random_password keeps its result (covered by the simulated-state test above).
      expect(replaced.map((c) => c.address).sort()).toEqual([
        'aws_ecs_task_definition.mlflow_task',
        'aws_secretsmanager_secret_version.database_secret_value',
      ]);
      expect(replaced.find((c) => c.address.startsWith('aws_secretsmanager'))!.change.replace_paths).toEqual([['secret_string']]);
      const forgotten = show.resource_changes.find((c) => c.address === 'aws_iam_role_policy_attachment.ecs_task_execution_role_policy')!;
      expect(forgotten.change.actions).toEqual(['forget']);

      // The same real plan (Terraform 1.11, our production stack over the team's state) through review-plan.
      const planFile = path.join(dir, 'production-plan.json');
      fs.writeFileSync(planFile, showJson);
      const reviewed = await cli(['review-plan', planFile, '--format', 'json'], dir);
      expect(reviewed.code).toBe(3);
      const review = JSON.parse(reviewed.stdout) as PlanReview;
      expect(review.summary).toMatchObject({ move: 33, forget: 1, delete: 0, replace: 2 });
      expect(review.blocked.map((b) => b.address)).toEqual(['aws_secretsmanager_secret_version.database_secret_value']);
      const allowed = await cli(['review-plan', planFile, '--allow-destroy', 'aws_secretsmanager_secret_version.database_secret_value'], dir);
      expect(allowed.code).toBe(2);
      expect(allowed.stdout).toContain('aws_iam_role_policy_attachment.ecs_task_execution_role_policy');
      // The legacy database password (in prior_state, the secret version and the db instance) never shows.
      const password = (readState(LEGACY_STATE).resources.find((r) => r.type === 'random_password')!.instances[0].attributes as { result: string }).result;
      expect(fs.readFileSync(planFile, 'utf8')).toContain(password.slice(0, 8));
      for (const format of ['text', 'markdown', 'json']) {
        const out = (await cli(['review-plan', planFile, '--format', format], dir)).stdout;
        expect(out).not.toContain(password.slice(0, 8));
      }
    } finally {
      ws.cleanup();
    }
  });
});
