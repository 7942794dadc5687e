/**
 * "Exit 0 means safe" (issue 11), without terraform: pairings are justified by identity or by an
 * override, never by "the last of its type"; any replacement of a moved resource is a BLOCKER unless
 * allow-listed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MovePlan, planIsClean, planMigration } from '../../src/migration/planner';
import { allowedReplacement, REPLACEMENT_ALLOW_LIST } from '../../src/migration/replacement';
import { StackJson } from '../../src/migration/stack';
import { readState, TerraformState } from '../../src/terraform-json/state';
import { validateOverrides } from '../../src/migration/overrides';
import { AWS, cli, LEGACY_STATE, PRODUCTION_OVERRIDES, readJson, tmpDir, writeState } from './helpers';

export const PRODUCTION_STACK = path.resolve(__dirname, '../../cdktf.out/stacks/mlflow-production/cdk.tf.json');
const entry = (plan: MovePlan, source: string) => plan.entries.find((e) => e.source === source);

function legacyWith(extra: TerraformState['resources']): TerraformState {
  const legacy = readState(LEGACY_STATE);
  return { ...legacy, resources: [...legacy.resources, ...extra] };
}

describe('pairing: identity or override, never "the last of its type"', () => {
  test('without the overrides file the policy attachment is UNMAPPED (its policy_arn differs although role is an unresolved reference): exit 1', async () => {
    const dir = tmpDir();
    const r = await cli(['migrate', 'plan', '--state', LEGACY_STATE, '--stack', PRODUCTION_STACK, '--out', 'moves.json', '--no-terraform'], dir);
    expect(r.code).toBe(1);
    const plan = readJson<MovePlan>(path.join(dir, 'moves.json'));
    const attachment = entry(plan, 'aws_iam_role_policy_attachment.ecs_task_execution_role_policy')!;
    expect(attachment.status).toBe('unmapped');
    expect(attachment.reason).toContain(
      'the stack\'s only unpaired aws_iam_role_policy_attachment is aws_iam_role_policy_attachment.database_monitoring_policy, but its identity differs (role = "fraud-scoring-ecs-task-execution-role" in the state, ${aws_iam_role.database_monitoring_role.name} in the stack; policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" in the state, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" in the stack)',
    );
    expect(plan.entries.filter((e) => e.target === 'aws_iam_role_policy_attachment.database_monitoring_policy' || e.target === 'aws_iam_role.database_monitoring_role')).toEqual([]);
    expect(plan.entries.filter((e) => e.matchedBy?.includes('only instance'))).toEqual([]);
    expect(r.stdout).toContain('1 unmapped');
    // With the shipped overrides the same state plans clean (the shipped path).
    const shipped = await cli(['migrate', 'plan', '--state', LEGACY_STATE, '--stack', PRODUCTION_STACK, '--overrides', PRODUCTION_OVERRIDES, '--out', 'ok.json', '--no-terraform'], dir);
    expect(shipped.code).toBe(0);
  });

  test('an extra, unrelated aws_kms_key ("finance backups") is UNMAPPED, not moved onto the stack\'s key: exit 1', async () => {
    const dir = tmpDir();
    const kms = { mode: 'managed' as const, type: 'aws_kms_key', name: 'finance_backups', provider: AWS, instances: [{ schema_version: 0, attributes: { id: '1234abcd-12ab-34cd-56ef-1234567890ab', arn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', description: 'finance backups', policy: '{"Version":"2012-10-17","Statement":[]}', tags: { Team: 'finance' } } }] };
    const file = writeState(dir, 'legacy.tfstate', legacyWith([kms]));
    const r = await cli(['migrate', 'plan', '--state', file, '--stack', PRODUCTION_STACK, '--overrides', PRODUCTION_OVERRIDES, '--out', 'moves.json', '--no-terraform'], dir);
    expect(r.code).toBe(1);
    const plan = readJson<MovePlan>(path.join(dir, 'moves.json'));
    expect(entry(plan, 'aws_kms_key.finance_backups')).toMatchObject({ status: 'unmapped', reason: expect.stringContaining("the stack's only unpaired aws_kms_key is aws_kms_key.encryption_key") });
    expect(entry(plan, 'aws_kms_key.finance_backups')!.reason).toContain('proves nothing');
    expect(plan.creations.map((c) => c.address)).toContain('aws_kms_key.encryption_key');
    expect(plan.blockers).toEqual([expect.stringMatching(/^aws_kms_key\.finance_backups is unmapped: /)]);
  });

  test('for a type neither stateful nor network, the last of its type is only a suggestion: unmapped until confirmed in the overrides file', () => {
    const stack = readJson<StackJson>(PRODUCTION_STACK);
    const topic = { mode: 'managed' as const, type: 'aws_sns_topic', name: 'alerts', provider: AWS, instances: [{ attributes: { id: 'arn:aws:sns:us-east-1:123456789012:x', arn: 'arn:aws:sns:us-east-1:123456789012:x' } }] };
    const legacy = legacyWith([topic]);
    const base = validateOverrides(readJson(PRODUCTION_OVERRIDES));
    const bare = planMigration({ legacy, stack, stackName: 'mlflow-production', overrides: base });
    expect(entry(bare, 'aws_sns_topic.alerts')).toMatchObject({ status: 'unmapped' });
    expect(entry(bare, 'aws_sns_topic.alerts')!.reason).toMatch(/^suggestion \(not applied\): aws_sns_topic\.alarms_topic is the stack's only unpaired aws_sns_topic; .*\{"from": "aws_sns_topic\.alerts", "to": "aws_sns_topic\.alarms_topic"\}/);
    expect(planIsClean(bare)).toBe(false);
    const confirmed = planMigration({ legacy, stack, stackName: 'mlflow-production', overrides: { ...base, moves: [{ from: 'aws_sns_topic.alerts', to: 'aws_sns_topic.alarms_topic' }] } });
    expect(entry(confirmed, 'aws_sns_topic.alerts')).toMatchObject({ status: 'moved', target: 'aws_sns_topic.alarms_topic', matchedBy: 'override' });
  });

  test('a network object proven by reference (same id) whose identity changed is paired, and its force-new change is a BLOCKER, not a warning', () => {
    const stack = readJson<StackJson>(PRODUCTION_STACK);
    const legacy = readState(LEGACY_STATE);
    for (const r of legacy.resources) if (r.type === 'aws_subnet' && r.name === 'public') r.instances.forEach((i) => (i.attributes!.cidr_block = `10.99.${Number(i.index_key)}.0/24`));
    const plan = planMigration({ legacy, stack, stackName: 'mlflow-production', overrides: validateOverrides(readJson(PRODUCTION_OVERRIDES)) });
    // The NAT gateway's subnet reference still points at the same subnet object: that pair is proven by
    // reference, and the CIDR change is then a BLOCKER of the force-new check.
    const publicSubnets = plan.entries.filter((e) => e.source.startsWith('aws_subnet.public'));
    for (const e of publicSubnets) if (e.status === 'moved') expect(plan.blockers.some((b) => b.startsWith(`${e.target}: cidr_block changes`))).toBe(true);
    expect(planIsClean(plan)).toBe(false);
  });
});

describe('replacement allow-list', () => {
  test('one reviewed entry: a new revision of the task definition, never a new family; nothing else', () => {
    expect(REPLACEMENT_ALLOW_LIST.map((a) => a.type)).toEqual(['aws_ecs_task_definition']);
    expect(allowedReplacement('aws_ecs_task_definition', ['container_definitions', 'runtime_platform.0.cpu_architecture'])).toBeDefined();
    expect(allowedReplacement('aws_ecs_task_definition', ['container_definitions', 'family'])).toBeUndefined();
    expect(allowedReplacement('aws_security_group', ['description'])).toBeUndefined();
  });
});

describe('the move plan is private', () => {
  test('the plan JSON is written 0600 whatever the umask', async () => {
    const dir = tmpDir();
    const old = process.umask(0o022);
    try {
      await cli(['migrate', 'plan', '--state', LEGACY_STATE, '--stack', PRODUCTION_STACK, '--overrides', PRODUCTION_OVERRIDES, '--out', 'sub/moves.json', '--no-terraform'], dir);
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(path.join(dir, 'sub/moves.json')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'sub')).mode & 0o777).toBe(0o700);
  });
});
