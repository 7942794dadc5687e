import * as path from 'node:path';
import { production } from '../../src/config/environments/production';
import { readLegacyDir } from '../../src/migration/legacy-hcl';
import { readOverrides, validateOverrides } from '../../src/migration/overrides';
import { MovePlan, planIsClean, planMigration, planSteps } from '../../src/migration/planner';
import { FORCE_NEW_TABLE } from '../../src/migration/replacement';
import { StackJson } from '../../src/migration/stack';
import { readState, stateEntries } from '../../src/terraform-json/state';
import { STATEFUL_RESOURCE_TYPES } from '../../src/terraform-json/stateful';
import { synthStack } from '../helpers/synth';
import { AWS, FIXTURE_STATES, LEGACY_DIR, LEGACY_STATE, PRODUCTION_OVERRIDES, readJson, state, SYNTHETIC_STACK } from './helpers';

const legacy = readState(LEGACY_STATE);
const synthetic = (): StackJson => readJson<StackJson>(SYNTHETIC_STACK);
const overrides = validateOverrides({
  moves: [{ from: 'aws_iam_role_policy.ecs_task_s3', to: 'aws_iam_role_policy.service_task_artifacts', reason: 'renamed' }],
});
const target = (plan: MovePlan, source: string) => plan.entries.find((e) => e.source === source);

describe('planner on the shipped legacy state', () => {
  const plan = planMigration({ legacy, stack: synthetic(), stackName: 'mlflow-production', overrides });

  test('every one of the 34 legacy instances is listed exactly once, none unmapped', () => {
    expect(plan.entries.map((e) => e.source).sort()).toEqual(stateEntries(legacy).map((e) => e.address).sort());
    expect(plan.entries).toHaveLength(34);
    expect(plan.entries.filter((e) => e.status === 'unmapped')).toEqual([]);
    // The override renames the task policy: replacing a moved resource is a BLOCKER (not allow-listed).
    expect(plan.blockers).toEqual([expect.stringMatching(/^aws_iam_role_policy\.service_task_artifacts: name changes from/)]);
    expect(planIsClean(plan)).toBe(false);
  });

  test('count-indexed subnets move to non-indexed addresses by CIDR and availability zone', () => {
    expect(target(plan, 'aws_subnet.public[0]')).toMatchObject({ status: 'moved', target: 'aws_subnet.network_public_subnet_us_east_1a' });
    expect(target(plan, 'aws_subnet.private[1]')).toMatchObject({ status: 'moved', target: 'aws_subnet.network_private_subnet_us_east_1b' });
    expect(target(plan, 'aws_subnet.private[1]')!.matchedBy).toContain('cidr_block="10.20.11.0/24"');
  });

  test('references resolve through found pairs: associations by subnet, NAT by subnet, EIP and password through references', () => {
    expect(target(plan, 'aws_route_table_association.private[1]')!.target).toBe('aws_route_table_association.network_private_association_us_east_1b');
    expect(target(plan, 'aws_nat_gateway.main')!.target).toBe('aws_nat_gateway.network_nat_gateway_us_east_1a');
    expect(target(plan, 'aws_eip.nat')).toMatchObject({ target: 'aws_eip.network_nat_eip_us_east_1a', matchedBy: expect.stringContaining('reference') });
    expect(target(plan, 'aws_route_table.private')!.target).toBe('aws_route_table.network_private_route_table_us_east_1a');
    expect(target(plan, 'random_password.db_password')!.target).toBe('random_password.database_password');
  });

  test('no secret value appears in the plan (the password is matched by reference, not printed)', () => {
    const password = String(stateEntries(legacy).find((e) => e.type === 'random_password')!.attributes.result);
    expect(JSON.stringify(plan)).not.toContain(password);
  });

  test('two legacy instances with the same identity as one new resource: neither is paired by identity (UNMAPPED, not clean)', () => {
    // A second VPC with the same CIDR (legal in AWS), unrelated to the stack: identity cannot tell them apart.
    const twin = structuredClone(legacy);
    const vpc = twin.resources.find((r) => r.type === 'aws_vpc' && r.name === 'main')!;
    twin.resources.push({ ...structuredClone(vpc), name: 'copy', instances: vpc.instances.map((i) => ({ ...structuredClone(i), attributes: { ...i.attributes, id: 'vpc-0twin0000000000000', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0twin0000000000000' } })) });
    const p = planMigration({ legacy: twin, stack: synthetic(), stackName: 'mlflow-production', overrides });
    expect(target(p, 'aws_vpc.copy')).toMatchObject({ status: 'unmapped' });
    expect(target(p, 'aws_vpc.copy')!.target).toBeUndefined();
    expect(target(p, 'aws_vpc.main')!.matchedBy ?? '').not.toContain('identity');
    expect(planIsClean(p)).toBe(false);
  });

  test('the steps apply carries out: every move and keep, then every retirement; nothing else', () => {
    const shipped = planMigration({ legacy, stack: synthetic(), stackName: 'mlflow-production', overrides: readOverrides(PRODUCTION_OVERRIDES) });
    const steps = planSteps(shipped);
    const statuses = steps.map((e) => e.status);
    expect(statuses.indexOf('retired')).toBeGreaterThan(statuses.lastIndexOf('moved'));
    expect(steps.map((e) => e.source).sort()).toEqual(shipped.entries.filter((e) => ['moved', 'kept', 'retired'].includes(e.status)).map((e) => e.source).sort());
    expect(steps.filter((e) => e.status === 'retired').map((e) => e.source)).toEqual(['aws_iam_role_policy_attachment.ecs_task_execution_role_policy']);
  });

  test('never two sources to one target', () => {
    const targets = plan.entries.filter((e) => e.target).map((e) => e.target);
    expect(new Set(targets).size).toBe(targets.length);
  });

  test('creations: new addresses without a legacy counterpart, imports marked', () => {
    const creations = plan.creations.map((c) => c.address);
    expect(creations).toEqual(expect.arrayContaining(['aws_ecr_repository.registry_repository', 'aws_kms_key.kms_key', 'aws_eip.network_nat_eip_us_east_1b', 'aws_route_table.network_private_route_table_us_east_1b']));
    expect(plan.creations.find((c) => c.address === 'aws_s3_bucket.artifacts_bucket')!.imported).toBe(true);
    expect(creations).not.toContain('aws_vpc.network_vpc');
  });

  test('the plan records the legacy serial, lineage and stack name, and is deterministic and sorted', () => {
    expect(plan.legacyState).toEqual({ serial: 42, lineage: '3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c', terraformVersion: '1.9.8' });
    expect(plan.stack).toBe('mlflow-production');
    const again = planMigration({ legacy, stack: synthetic(), stackName: 'mlflow-production', overrides });
    expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
    const sources = plan.entries.map((e) => e.source);
    expect(sources).toEqual([...sources].sort((a, b) => a.localeCompare(b)));
  });

  test('without the override the renamed policy is unmapped, with a reason naming the candidate, and the plan is not clean', () => {
    const bare = planMigration({ legacy, stack: synthetic(), stackName: 'mlflow-production' });
    expect(target(bare, 'aws_iam_role_policy.ecs_task_s3')).toMatchObject({
      status: 'unmapped',
      reason: expect.stringContaining('aws_iam_role_policy.service_task_artifacts'),
    });
    expect(planIsClean(bare)).toBe(false);
    expect(bare.blockers.some((b) => b.startsWith('aws_iam_role_policy.ecs_task_s3 is unmapped'))).toBe(true);
  });

  test('retire override: status retired with its reason', () => {
    const p = planMigration({
      legacy,
      stack: synthetic(),
      stackName: 'mlflow-production',
      overrides: validateOverrides({ retire: [{ address: 'aws_iam_role_policy.ecs_task_s3', reason: 'replaced by the artifacts policy' }] }),
    });
    expect(target(p, 'aws_iam_role_policy.ecs_task_s3')).toMatchObject({ status: 'retired', reason: 'replaced by the artifacts policy' });
    expect(p.creations.map((c) => c.address)).toContain('aws_iam_role_policy.service_task_artifacts');
  });

  test('a cross-type override is refused: it needs state rm + import', () => {
    const p = planMigration({
      legacy,
      stack: synthetic(),
      stackName: 'mlflow-production',
      overrides: validateOverrides({ moves: [{ from: 'aws_iam_role_policy.ecs_task_s3', to: 'aws_iam_role.service_task_role' }] }),
    });
    expect(p.blockers).toContain(
      'overrides moves[0]: aws_iam_role_policy.ecs_task_s3 -> aws_iam_role.service_task_role crosses resource types (aws_iam_role_policy -> aws_iam_role); use retire + an import definition instead',
    );
    expect(target(p, 'aws_iam_role_policy.ecs_task_s3')!.reason).toContain('terraform state rm');
  });

  test('overrides naming addresses that do not exist are blockers naming the field', () => {
    const p = planMigration({
      legacy,
      stack: synthetic(),
      stackName: 'mlflow-production',
      overrides: validateOverrides({ moves: [{ from: 'aws_vpc.nope', to: 'aws_vpc.network_vpc' }, { from: 'aws_vpc.main', to: 'aws_vpc.other' }] }),
    });
    expect(p.blockers).toEqual(
      expect.arrayContaining([
        'overrides moves[0]: "aws_vpc.nope" is not a managed instance of the legacy state',
        'overrides moves[1]: "aws_vpc.other" is not a resource of the synthesized stack',
      ]),
    );
  });

  test('positional override pairs count instances in order', () => {
    const p = planMigration({
      legacy,
      stack: synthetic(),
      stackName: 'mlflow-production',
      overrides: validateOverrides({ positional: [{ from: 'aws_subnet.public', to: ['aws_subnet.network_public_subnet_us_east_1b', 'aws_subnet.network_public_subnet_us_east_1a'] }] }),
    });
    expect(target(p, 'aws_subnet.public[0]')).toMatchObject({ target: 'aws_subnet.network_public_subnet_us_east_1b', matchedBy: 'override position (aws_subnet.public[0])' });
    // Swapping the AZs changes the CIDR/AZ of both subnets: force-new, reported.
    expect(p.risks.filter((r) => r.source === 'aws_subnet.public[0]').map((r) => r.attribute).sort()).toEqual(['availability_zone', 'cidr_block']);
  });

  test('position: a count-expanded new resource of the same type takes count instances by index', () => {
    const stack = synthetic();
    const subnets = stack.resource!.aws_subnet;
    delete subnets.network_public_subnet_us_east_1a;
    delete subnets.network_public_subnet_us_east_1b;
    subnets.public_subnets = { count: 2, vpc_id: '${aws_vpc.network_vpc.id}', cidr_block: '${cidrsubnet("10.20.0.0/16", 8, count.index)}' };
    for (const a of Object.values(stack.resource!.aws_route_table_association)) {
      a.subnet_id = String(a.subnet_id).replace(/network_public_subnet_us_east_1([ab])/, (_m, az: string) => `public_subnets[${az === 'a' ? 0 : 1}]`);
    }
    for (const n of Object.values(stack.resource!.aws_nat_gateway)) n.subnet_id = String(n.subnet_id).replace(/network_public_subnet_us_east_1([ab])/, (_m, az: string) => `public_subnets[${az === 'a' ? 0 : 1}]`);
    const p = planMigration({ legacy, stack, stackName: 'x', overrides });
    expect(target(p, 'aws_subnet.public[1]')).toMatchObject({ target: 'aws_subnet.public_subnets[1]', matchedBy: expect.stringMatching(/^position/) });
    expect(target(p, 'aws_route_table_association.public[1]')!.target).toBe('aws_route_table_association.network_public_association_us_east_1b');
  });
});

describe('replacement risk', () => {
  const withChange = (edit: (s: StackJson) => void) => {
    const s = synthetic();
    edit(s);
    const plan = planMigration({ legacy, stack: s, stackName: 'mlflow-production', overrides });
    // The override renames the task policy: that WARNING is expected in every variant.
    return { ...plan, risks: plan.risks.filter((r) => r.source !== 'aws_iam_role_policy.ecs_task_s3') };
  };

  test('a changed DB identifier leaves the database UNMAPPED (never paired as the last of its type), naming both values', () => {
    const p = withChange((s) => (s.resource!.aws_db_instance.database_instance.identifier = 'fraud-scoring-mlflow'));
    expect(target(p, 'aws_db_instance.mlflow')).toMatchObject({ status: 'unmapped' });
    expect(target(p, 'aws_db_instance.mlflow')!.reason).toContain(
      'the stack\'s only unpaired aws_db_instance is aws_db_instance.database_instance, but its identity differs (identifier = "fraud-scoring-mlflow-db" in the state, "fraud-scoring-mlflow" in the stack)',
    );
    expect(planIsClean(p)).toBe(false);
  });

  test('a DB paired by an override keeps the force-new check: a changed identifier is a BLOCKER with the fix naming the config field', () => {
    const s = synthetic();
    s.resource!.aws_db_instance.database_instance.identifier = 'fraud-scoring-mlflow';
    const p = planMigration({
      legacy,
      stack: s,
      stackName: 'mlflow-production',
      overrides: validateOverrides({ moves: [...overrides.moves, { from: 'aws_db_instance.mlflow', to: 'aws_db_instance.database_instance' }] }),
    });
    expect(p.risks.filter((r) => r.source === 'aws_db_instance.mlflow')).toEqual([
      expect.objectContaining({
        severity: 'BLOCKER',
        attribute: 'identifier',
        legacyValue: 'fraud-scoring-mlflow-db',
        newValue: 'fraud-scoring-mlflow',
        fix: 'set database.identifier to "fraud-scoring-mlflow-db" to keep the value',
      }),
    ]);
  });

  test('an omitted argument is compared with the provider default: SG description, target group target_type (BLOCKERs: any replacement of a moved resource)', () => {
    const p = withChange((s) => {
      delete s.resource!.aws_security_group.edge_alb_security_group.description;
      delete s.resource!.aws_lb_target_group.edge_target_group.target_type;
    });
    expect(p.risks.map((r) => [r.severity, r.target, r.attribute, r.newValue])).toEqual([
      ['BLOCKER', 'aws_lb_target_group.edge_target_group', 'target_type', 'instance'],
      ['BLOCKER', 'aws_security_group.edge_alb_security_group', 'description', 'Managed by Terraform'],
    ]);
    expect(planIsClean(p)).toBe(false);
    expect(p.blockers.some((w) => w.includes('description changes from "ALB security group" to "Managed by Terraform"'))).toBe(true);
  });

  test('references to paired resources are resolved (vpc_id); a reference to an object the stack creates is DIFFERENT from the legacy value', () => {
    const p = withChange((s) => {
      s.resource!.aws_vpc.other_vpc = { cidr_block: '10.99.0.0/16' };
      s.resource!.aws_security_group.database_security_group.vpc_id = '${aws_vpc.other_vpc.id}';
      s.resource!.aws_subnet.network_public_subnet_us_east_1a.vpc_id = '${aws_vpc.network_vpc.id}';
    });
    expect(p.risks).toEqual([
      expect.objectContaining({ severity: 'BLOCKER', source: 'aws_security_group.rds', attribute: 'vpc_id', legacyValue: 'vpc-0a1b2c3d4e5f60718', newValue: '${aws_vpc.other_vpc.id}' }),
    ]);
    expect(p.risks[0].message).toContain('refers to aws_vpc.other_vpc, which the stack creates');
    expect(p.unchecked.join()).not.toContain('vpc_id');
  });

  test('a reference to an object the stack adopts with an import block is an existing object: unchecked, not "created"', () => {
    const p = withChange((s) => (s.resource!.aws_security_group.database_security_group.vpc_id = '${aws_s3_bucket.artifacts_bucket.id}'));
    expect(p.creations.find((c) => c.address === 'aws_s3_bucket.artifacts_bucket')!.imported).toBe(true);
    expect(p.risks).toEqual([]);
    expect(p.unchecked).toContain('aws_security_group.database_security_group.vpc_id = ${aws_s3_bucket.artifacts_bucket.id}');
  });

  test('an expression the planner cannot evaluate is listed as unchecked, not as a risk', () => {
    const p = withChange((s) => (s.resource!.aws_security_group.database_security_group.vpc_id = '${element(aws_vpc.*.id, 0)}'));
    expect(p.risks).toEqual([]);
    expect(p.unchecked).toContain('aws_security_group.database_security_group.vpc_id = ${element(aws_vpc.*.id, 0)}');
  });

  test('the renamed policy of the override is a BLOCKER too: an override pairs, it does not allow a replacement', () => {
    const p = planMigration({ legacy, stack: synthetic(), stackName: 'mlflow-production', overrides });
    expect(p.risks.map((r) => [r.severity, r.source, r.attribute])).toEqual([['BLOCKER', 'aws_iam_role_policy.ecs_task_s3', 'name']]);
  });

  test('random_password settings: a different override_special is a BLOCKER', () => {
    const p = withChange((s) => (s.resource!.random_password.database_password.override_special = '-_.~'));
    expect(p.risks.map((r) => `${r.severity} ${r.attribute} ${r.fix}`)).toEqual(['BLOCKER override_special set database.passwordSpecialCharacters to "!#$%&*()-_=+[]{}<>:?" to keep the value']);
  });

  test('the table covers every stateful type the legacy stack has, and each row cites its source', () => {
    const legacyTypes = new Set(stateEntries(legacy).map((e) => e.type));
    const statefulLegacy = STATEFUL_RESOURCE_TYPES.filter((t) => legacyTypes.has(t));
    expect(statefulLegacy.length).toBeGreaterThan(4);
    for (const t of statefulLegacy) expect(FORCE_NEW_TABLE.map((r) => r.type)).toContain(t);
    for (const row of FORCE_NEW_TABLE) expect(row.source).toMatch(/^hashicorp\/terraform-provider-(aws|random) internal\//);
  });
});

describe('the shipped production config against the shipped legacy state', () => {
  test('zero blockers, every instance accounted for (with migration/production.overrides.json)', async () => {
    const stack = synthStack(production) as StackJson;
    const plan = planMigration({ legacy, stack, stackName: 'mlflow-production', overrides: readOverrides(PRODUCTION_OVERRIDES), legacyConfig: await readLegacyDir(LEGACY_DIR) });
    expect(plan.blockers).toEqual([]);
    expect(plan.risks.filter((r) => r.severity === 'BLOCKER')).toEqual([]);
    expect(plan.summary.unmapped).toBe(0);
    expect(plan.summary.moved + plan.summary.kept + plan.summary.retired).toBe(34);
    for (const t of ['aws_db_instance', 'aws_secretsmanager_secret', 'random_password', 'aws_cloudwatch_log_group']) {
      expect(plan.entries.find((e) => e.type === t)!.status).toBe('moved');
    }
  });
});

describe('legacy HCL cross-check', () => {
  test('the legacy folder declares every state resource; a state-only instance is reported', async () => {
    const config = await readLegacyDir(LEGACY_DIR);
    expect(config.declarations.find((d) => d.address === 'aws_subnet.public')).toEqual({ address: 'aws_subnet.public', file: 'vpc.tf', expansion: 'count' });
    const clean = planMigration({ legacy, stack: synthetic(), stackName: 's', overrides, legacyConfig: config });
    expect(clean.warnings.filter((w) => w.includes('legacy code'))).toEqual([]);
    const extra = state([...legacy.resources, { mode: 'managed', type: 'aws_eip', name: 'orphan', provider: AWS, instances: [{ attributes: { id: 'eipalloc-1' } }] }]);
    const p = planMigration({ legacy: extra, stack: synthetic(), stackName: 's', overrides, legacyConfig: config });
    expect(p.warnings).toContain('aws_eip.orphan is in the legacy state but not declared in the legacy code (the legacy config would destroy it)');
  });
});

describe('varied states (shipped fixtures)', () => {
  test('modules, for_each string keys and data sources are all listed; data sources skipped, module instances addressed', () => {
    const fixture = readState(path.join(FIXTURE_STATES, 'terraform__roundtrip__v4-modules.in.tfstate'));
    const p = planMigration({ legacy: fixture, stack: { resource: {} }, stackName: 'empty' });
    const sources = p.entries.map((e) => e.source);
    expect(sources).toEqual(stateEntries(fixture).map((e) => e.address).sort((a, b) => a.localeCompare(b)));
    expect(sources.some((s) => /\["[^"]+"\]/.test(s))).toBe(true);
    expect(sources.some((s) => s.startsWith('module.'))).toBe(true);
    expect(p.entries.filter((e) => e.status === 'data-source').every((e) => e.source.includes('data.'))).toBe(true);
  });

  test('a data source of another provider is a skipped data source, not unmapped', () => {
    const fixture = readState(path.join(FIXTURE_STATES, 'driftctl__aws_lb_listener.tfstate'));
    const p = planMigration({ legacy: fixture, stack: { resource: {} }, stackName: 'empty' });
    const data = p.entries.filter((e) => e.status === 'data-source');
    expect(data.length).toBeGreaterThan(0);
    expect(p.entries.filter((e) => e.status === 'unmapped').length).toBe(stateEntries(fixture).filter((e) => e.mode === 'managed').length);
  });
});

describe('the pairing passes settle or the planner stops with an error', () => {
  const input = () => ({ legacy, stack: synthetic(), stackName: 'mlflow-production', overrides });

  test('a limit too low to settle is an error naming the limit and the progress, not a plan from a half-finished pairing', () => {
    expect(() => planMigration(input(), { maxInferenceRounds: 1 })).toThrow(
      'migration planner: the pairing passes did not settle within 1 rounds (22 of 34 legacy instances paired so far); this is a bug in the planner: please report it with the legacy state and the stack',
    );
  });

  test('the shipped plan pairs over four rounds (later passes build on earlier pairs) and settles in the fifth, giving the default plan', () => {
    const progress = [1, 2, 3, 4].map((rounds) => {
      try {
        planMigration(input(), { maxInferenceRounds: rounds });
        return 'settled';
      } catch (err) {
        return /\((\d+) of 34/.exec((err as Error).message)?.[1];
      }
    });
    expect(progress).toEqual(['22', '31', '32', '34']);
    expect(planMigration(input(), { maxInferenceRounds: 5 })).toEqual(planMigration(input()));
  });
});
