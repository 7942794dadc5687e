/**
 * "Apply trusts nothing it did not check" (issue 11): a hand-edited move file is checked against the
 * synthesized stack and both states before the first write; every problem is listed in one message
 * and nothing is written. Verify applies the same move-file checks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MovePlan } from '../../src/migration/planner';
import { findTerraform } from '../../src/terraform';
import { cli, copyState, LEGACY_STATE, PRODUCTION_OVERRIDES, readJson, terraformTest, tmpDir } from './helpers';

const tfTest = terraformTest();
jest.setTimeout(120000);

const PRODUCTION_STACK = path.resolve(__dirname, '../../cdktf.out/stacks/mlflow-production/cdk.tf.json');
const APPLY = ['migrate', 'apply', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'];
const VERIFY = ['migrate', 'verify', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', 'new.tfstate'];

/** A directory with the shipped legacy state, the synthesized production stack and its clean moves.json. */
/** A move file as a human edits it. */
interface Editable {
  entries: { source: string; status: string; target?: string }[];
}

async function setup(): Promise<{ dir: string; plan: MovePlan; edit: (f: (p: Editable) => void) => void }> {
  const dir = tmpDir('migrate-movefile-');
  const stackDir = path.join(dir, 'cdktf.out', 'stacks', 'mlflow-production');
  fs.mkdirSync(stackDir, { recursive: true });
  fs.copyFileSync(PRODUCTION_STACK, path.join(stackDir, 'cdk.tf.json'));
  copyState(LEGACY_STATE, dir);
  const r = await cli(['migrate', 'plan', '--state', 'legacy.tfstate', '--stack', 'mlflow-production', '--overrides', PRODUCTION_OVERRIDES, '--out', 'moves.json', '--no-terraform'], dir);
  expect(r.code).toBe(0);
  const plan = readJson<MovePlan>(path.join(dir, 'moves.json'));
  const edit = (f: (p: Editable) => void) => {
    const p = readJson<Editable>(path.join(dir, 'moves.json'));
    f(p);
    fs.writeFileSync(path.join(dir, 'moves.json'), JSON.stringify(p, null, 2));
  };
  return { dir, plan, edit };
}

function expectNothingWritten(dir: string): void {
  expect(fs.readFileSync(path.join(dir, 'legacy.tfstate'))).toEqual(fs.readFileSync(LEGACY_STATE));
  expect(fs.readdirSync(dir).filter((f) => f !== 'legacy.tfstate' && f !== 'moves.json' && f !== 'cdktf.out' && f !== 'new.tfstate')).toEqual([]);
}

const entryIndex = (p: Editable, source: string) => p.entries.findIndex((e) => e.source === source);

describe('apply and verify check the move file before anything', () => {
  tfTest('a target typo (aws_db_instance.database_instanse): apply refuses naming the entry, nothing is written; verify refuses the file too', async () => {
    const { dir, edit } = await setup();
    edit((p) => (p.entries[entryIndex(p, 'aws_db_instance.mlflow')].target = 'aws_db_instance.database_instanse'));
    const r = await cli(APPLY, dir);
    expect(r.code).toBe(3); // refused before any write (README: exit codes)
    expect(r.stderr).toContain('refusing to change any state:');
    expect(r.stderr).toContain('.target: aws_db_instance.database_instanse is not a resource instance of the synthesized stack mlflow-production (terraform would delete the object)');
    expectNothingWritten(dir);
    expect(fs.existsSync(path.join(dir, 'new.tfstate'))).toBe(false);
    const v = await cli(VERIFY, dir);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('move file: entries[');
  });

  tfTest('an entry edited to status "data-source" (the database left behind): apply refuses; verify of a finished migration with that file fails', async () => {
    const { dir, edit } = await setup();
    expect((await cli(APPLY, dir)).code).toBe(0);
    expect((await cli(VERIFY, dir)).code).toBe(0);
    edit((p) => {
      const e = p.entries[entryIndex(p, 'aws_db_instance.mlflow')];
      e.status = 'data-source';
      delete e.target;
    });
    const v = await cli(VERIFY, dir);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('status: "data-source" but aws_db_instance.mlflow is a managed resource (it would be left behind)');

    const fresh = await setup();
    fresh.edit((p) => {
      const e = p.entries[entryIndex(p, 'aws_db_instance.mlflow')];
      e.status = 'data-source';
      delete e.target;
    });
    const r = await cli(APPLY, fresh.dir);
    expect(r.code).toBe(3); // refused before any write (README: exit codes)
    expect(r.stderr).toContain('aws_db_instance.mlflow: a managed instance in');
    expectNothingWritten(fresh.dir);
  });

  tfTest('duplicate target, duplicate source, cross-type target and a changed stack: one message lists every problem, nothing written', async () => {
    const { dir, edit } = await setup();
    edit((p) => {
      p.entries[entryIndex(p, 'aws_security_group.alb')].target = 'aws_security_group.security_tasks';
      p.entries[entryIndex(p, 'aws_iam_role_policy.ecs_task_s3')].target = 'aws_iam_role.mlflow_task_role';
      p.entries.push({ ...p.entries[entryIndex(p, 'aws_vpc.main')] });
    });
    const stackFile = path.join(dir, 'cdktf.out/stacks/mlflow-production/cdk.tf.json');
    const stack = readJson<{ resource: Record<string, Record<string, { tags?: Record<string, string> }>> }>(stackFile);
    stack.resource.aws_vpc.network_vpc.tags = { Name: 'changed-after-planning' };
    fs.writeFileSync(stackFile, JSON.stringify(stack));
    const r = await cli(APPLY, dir);
    expect(r.code).toBe(3); // refused before any write (README: exit codes)
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines.some((l) => l.includes('stackDigest: the plan was made against another synthesized stack'))).toBe(true);
    expect(lines.some((l) => l.includes('target: aws_security_group.security_tasks is also the target of entries['))).toBe(true);
    expect(lines.some((l) => l.includes('(aws_vpc.main).source: duplicate of entries['))).toBe(true);
    expect(lines.some((l) => l.includes('aws_iam_role.mlflow_task_role is a aws_iam_role in the stack, the source is a aws_iam_role_policy (state mv cannot cross types)'))).toBe(true);
    expectNothingWritten(dir);
    expect(fs.existsSync(path.join(dir, 'new.tfstate'))).toBe(false);
  });

  tfTest('a --to-state holding a copy of the legacy state is refused (lineage, instances this plan does not move there)', async () => {
    const { dir } = await setup();
    copyState(LEGACY_STATE, dir, 'new.tfstate');
    const r = await cli(APPLY, dir);
    expect(r.code).toBe(3); // refused before any write (README: exit codes)
    expect(r.stderr).toContain('new.tfstate: has the lineage of the source state (3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c): it is a copy of the legacy state');
    expect(r.stderr).toMatch(/new\.tfstate: holds 34 instance\(s\) this plan does not move there \(.*\): the destination must be empty or a state this plan already partly wrote/);
    expectNothingWritten(dir);
    expect(fs.readFileSync(path.join(dir, 'new.tfstate'))).toEqual(fs.readFileSync(LEGACY_STATE));
  });

  tfTest('a relative TERRAFORM_BINARY is taken from the current directory (terraform runs elsewhere)', async () => {
    const { dir } = await setup();
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.symlinkSync(findTerraform()!, path.join(dir, 'bin', 'tf'));
    const r = await cli(APPLY, dir, { ...process.env, TERRAFORM_BINARY: 'bin/tf' });
    expect(r.stderr).not.toContain('terraform not found');
    expect(r.code).toBe(0);
    expect((await cli(VERIFY, dir)).code).toBe(0);
  });
});
