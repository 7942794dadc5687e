/**
 * "Exit 0 means safe", confirmed by the real terraform: `migrate plan` with the terraform
 * confirmation (plan -refresh=false of the stack against the simulated state, offline).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MovePlan } from '../../src/migration/planner';
import { readState } from '../../src/terraform-json/state';
import { cli, LEGACY_DIR, LEGACY_STATE, PRODUCTION_OVERRIDES, readJson, terraformTest, tmpDir, writeState } from './helpers';

const tfTest = terraformTest();
jest.setTimeout(300000);

const PRODUCTION_STACK = path.resolve(__dirname, '../../cdktf.out/stacks/mlflow-production/cdk.tf.json');

describe('migrate plan with the terraform confirmation', () => {
  tfTest('a legacy VPC whose CIDR differs from the config: the VPC and everything terraform replaces with it are BLOCKERs (exit 1), none a warning', async () => {
    const dir = tmpDir('migrate-gate-');
    const legacy = readState(LEGACY_STATE);
    legacy.resources.find((r) => r.type === 'aws_vpc')!.instances[0].attributes!.cidr_block = '10.30.0.0/16';
    writeState(dir, 'legacy.tfstate', legacy);
    const r = await cli(['migrate', 'plan', '--state', 'legacy.tfstate', '--stack', PRODUCTION_STACK, '--overrides', PRODUCTION_OVERRIDES, '--out', 'moves.json', '--confirm-with-terraform'], dir);
    expect(r.code).toBe(1);
    const plan = readJson<MovePlan>(path.join(dir, 'moves.json'));
    expect(plan.blockers).toContain(
      'aws_vpc.network_vpc: cidr_block changes from "10.30.0.0/16" to "10.20.0.0/16", which forces replacement of aws_vpc (hashicorp/terraform-provider-aws internal/service/ec2/vpc_.go (ForceNew)); fix: set network.vpcCidr to "10.30.0.0/16" to keep the value',
    );
    const replaced = plan.terraformConfirmation!.migratedChanges.filter((c) => c.actions.includes('delete')).map((c) => c.address);
    for (const a of [
      'aws_vpc.network_vpc',
      'aws_subnet.network_public_us_east_1a',
      'aws_subnet.network_private_us_east_1b',
      'aws_nat_gateway.network_nat_us_east_1a',
      'aws_route_table.network_public_routes',
      'aws_route_table_association.network_private_us_east_1a_routes',
      'aws_security_group.security_database',
      'aws_lb_target_group.edge_target_group',
    ]) {
      expect(replaced).toContain(a);
    }
    for (const a of replaced.filter((x) => x !== 'aws_ecs_task_definition.mlflow_task')) {
      expect(plan.blockers.some((b) => b.startsWith(`terraform plans to replace`) && b.includes(` ${a} (migrated from`))).toBe(true);
      expect(plan.warnings.some((w) => w.includes(` ${a} `))).toBe(false);
    }
    expect(r.stdout).toMatch(/; [1-9]\d* blocker\(s\)/);
  });

  tfTest('the shipped path: shipped legacy state + production overrides: exit 0, 0 blockers; terraform replaces only the task definition (allow-listed new revision)', async () => {
    const dir = tmpDir('migrate-gate-');
    const r = await cli(['migrate', 'plan', '--state', LEGACY_STATE, '--stack', PRODUCTION_STACK, '--overrides', PRODUCTION_OVERRIDES, '--legacy-dir', LEGACY_DIR, '--out', 'moves.json', '--confirm-with-terraform'], dir);
    expect(r.code).toBe(0);
    const plan = readJson<MovePlan>(path.join(dir, 'moves.json'));
    expect(plan.blockers).toEqual([]);
    expect(plan.terraformConfirmation!.migratedChanges.filter((c) => c.actions.includes('delete')).map((c) => c.address)).toEqual(['aws_ecs_task_definition.mlflow_task']);
    expect(plan.warnings.filter((w) => w.startsWith('terraform plans to'))).toEqual([expect.stringMatching(/^terraform plans to replace \(.*\) aws_ecs_task_definition\.mlflow_task \(migrated from aws_ecs_task_definition\.mlflow\) \[allowed: a task definition is immutable/)]);
    // terraform output is quoted without colour codes
    expect(fs.readFileSync(path.join(dir, 'moves.json'), 'utf8')).not.toContain('\u001b[');
    expect(r.stdout + r.stderr).not.toContain('\u001b[');
  });
});
