/**
 * `migrate remote` (pull, apply, verify, push) with the real terraform binary.
 *
 * The faithful double for S3 / Terraform Cloud: two Terraform directories whose `terraform` block
 * declares a LOCAL backend (`remote/terraform.tfstate` plays the remote object). `terraform state
 * pull` / `state push` go through the same backend-independent code for every backend, including
 * push's lineage/serial checks, so what is asserted here is what happens against S3 or TFC; only
 * the storage differs.
 *
 * The legacy state holds `random_password.db_password`, and `terraform init` installs the providers
 * a state references: the random provider cannot be installed here (only the AWS provider mirror
 * exists), so the legacy copy has that resource stubbed with the built-in `terraform_data` exactly as
 * src/terraform/offline.ts `stubRandomInState` does (same lineage and serial), the stack is stubbed
 * the same way (`stubRandomInStack`), and the stub pair is one explicit override move. Everything
 * else is the shipped legacy state and the shipped production stack.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { production } from '../../src/config/environments/production';
import { MovePlan } from '../../src/migration/planner';
import { listAddresses, parseState, readState, TerraformState } from '../../src/terraform-json/state';
import { verifyMigration } from '../../src/migration/verify';
import { findProviderMirror, findTerraform, randomResultsInState, runProcess, stubRandomInStack, stubRandomInState, writeCliConfig } from '../../src/terraform';
import { synthStack } from '../helpers/synth';
import { cli, LEGACY_STATE, PRODUCTION_OVERRIDES, readJson, terraformTest, tmpDir } from './helpers';

const tfTest = terraformTest();
jest.setTimeout(120000);

const LINEAGE = '3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c';
const BACKEND = 'terraform {\n  backend "local" {\n    path = "remote/terraform.tfstate"\n  }\n}\n';

let root: string;
let env: NodeJS.ProcessEnv;
let tf: string;
let plan: MovePlan;
let stubbedLegacy: TerraformState;

beforeAll(async () => {
  root = tmpDir('migrate-remote-');
  const mirror = findProviderMirror();
  tf = findTerraform() ?? 'terraform';
  env = { ...process.env, TF_CLI_CONFIG_FILE: mirror ? writeCliConfig(root, mirror) : '/nonexistent' };
  const legacy = readState(LEGACY_STATE);
  stubbedLegacy = stubRandomInState(legacy).state;
  expect(stubbedLegacy.resources.some((r) => r.type.startsWith('random_'))).toBe(false);
  expect([stubbedLegacy.lineage, stubbedLegacy.serial]).toEqual([LINEAGE, 42]);
  fs.writeFileSync(path.join(root, 'legacy.tfstate'), JSON.stringify(stubbedLegacy, null, 2));
  const stackDir = path.join(root, 'cdktf.out', 'stacks', 'mlflow-production');
  fs.mkdirSync(stackDir, { recursive: true });
  fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(stubRandomInStack(synthStack(production), randomResultsInState(legacy)).stack));
  const overrides = readJson<Record<string, unknown>>(PRODUCTION_OVERRIDES);
  const stubMove = { from: 'terraform_data.random_password_db_password', to: 'terraform_data.random_password_database_password', reason: 'offline stand-ins of random_password.db_password -> random_password.database_password' };
  fs.writeFileSync(path.join(root, 'overrides.json'), JSON.stringify({ ...overrides, moves: [stubMove] }));
  const r = await cli(['migrate', 'plan', '--state', 'legacy.tfstate', '--stack', 'mlflow-production', '--overrides', 'overrides.json', '--out', 'moves.json', '--no-terraform'], root);
  expect(r.code).toBe(0);
  plan = readJson<MovePlan>(path.join(root, 'moves.json'));
  expect(plan.summary).toMatchObject({ moved: 33, retired: 1, unmapped: 0 });
});

/** A Terraform directory with a local backend; `state` is put where the backend keeps it. */
function backendDir(caseDir: string, name: string, state?: TerraformState): string {
  const dir = path.join(caseDir, name);
  fs.mkdirSync(path.join(dir, 'remote'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.tf'), BACKEND);
  if (state) fs.writeFileSync(path.join(dir, 'remote', 'terraform.tfstate'), JSON.stringify(state, null, 2));
  return dir;
}

const remoteFile = (dir: string) => path.join(dir, 'remote', 'terraform.tfstate');

/** `terraform state pull` text, as the backend has it now. */
async function pullText(dir: string): Promise<string> {
  const r = await runProcess(tf, [`-chdir=${dir}`, 'state', 'pull'], { cwd: dir, env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

async function pull(dir: string): Promise<TerraformState> {
  return parseState(await pullText(dir), dir);
}

function managedCount(s: TerraformState, address: string): number {
  return listAddresses(s, 'managed').filter((a) => a === address).length;
}

function remoteArgs(from: string, to: string, work: string, ...extra: string[]): string[] {
  return ['migrate', 'remote', '--plan', 'moves.json', '--from-dir', from, '--to-dir', to, '--work-dir', work, ...extra];
}

describe('legacy backend -> a new, empty backend', () => {
  let caseDir: string;
  let from: string;
  let to: string;
  let work: string;
  let legacyBefore: string;
  let legacyRemoteBytes: Buffer;
  let runOutput: string;

  beforeAll(() => {
    caseDir = tmpDir('migrate-remote-case-');
    from = backendDir(caseDir, 'legacy', stubbedLegacy);
    to = backendDir(caseDir, 'new');
    work = path.join(caseDir, 'work');
    legacyRemoteBytes = fs.readFileSync(remoteFile(from));
  });

  tfTest('--dry-run: inits, pulls into <work-dir>/dry-run, prints the whole sequence in order and changes neither backend', async () => {
    const r = await cli(remoteArgs(from, to, work, '--dry-run'), root, env);
    expect(r.code).toBe(0);
    const dry = path.join(work, 'dry-run');
    expect(r.stdout).toBe(`dry run: 34 step(s) would run, 0 need nothing; nothing was pushed (pulled copies in ${dry})\n`);
    const expectedInOrder = [
      '[1/6] terraform init of the legacy and the new stack directory',
      `  $ ${tf} -chdir=${from} init -input=false -no-color`,
      `  $ ${tf} -chdir=${to} init -input=false -no-color`,
      `[2/6] terraform state pull of both states into ${dry}`,
      `  $ ${tf} -chdir=${from} state pull -no-color > ${dry}/from.pulled.tfstate`,
      `  legacy state: serial 42, lineage ${LINEAGE}, 34 managed instance(s)`,
      `  $ ${tf} -chdir=${to} state pull -no-color > ${dry}/to.pulled.tfstate`,
      "  the new stack's backend has no state (the pull printed nothing): created an empty v4 state with the new lineage ",
      '[3/6] the moves on the local copies: one rewrite, checked by terraform state list (dry run: the equivalent state mv / state rm commands)',
      `  [1/34] ${tf} state mv -state=${dry}/from.tfstate -state-out=${dry}/to.tfstate aws_cloudwatch_log_group.mlflow aws_cloudwatch_log_group.mlflow_logs`,
      `  [34/34] ${tf} state rm -state=${dry}/from.tfstate aws_iam_role_policy_attachment.ecs_task_execution_role_policy`,
      '[4/6] verify: skipped (dry run: nothing was moved)',
      '[5/6] push the new stack state',
      '  serial would be set to 1 (pulled at 0)',
      `  $ ${tf} -chdir=${to} state push -no-color ${dry}/to.tfstate   (dry run: not run)`,
      '[6/6] push the legacy state',
      '  serial would be set to 43 (pulled at 42)',
      `  $ ${tf} -chdir=${from} state push -no-color ${dry}/from.tfstate   (dry run: not run)`,
    ];
    // Every terraform command that runs asks for output without colour codes (it is quoted in messages).
    const commands = r.stderr.split('\n').filter((l) => l.startsWith(`  $ ${tf} `));
    expect(commands.length).toBe(6);
    for (const c of commands) expect(c).toContain(' -no-color');
    expect(r.stderr).not.toContain('\u001b[');
    let at = -1;
    for (const line of expectedInOrder) {
      const next = r.stderr.indexOf(line, at + 1);
      expect({ line, found: next > at }).toEqual({ line, found: true });
      at = next;
    }
    expect(fs.readFileSync(remoteFile(from))).toEqual(legacyRemoteBytes);
    expect(fs.existsSync(remoteFile(to))).toBe(false);
    expect(readState(path.join(dry, 'to.tfstate')).resources).toEqual([]);
    expect(fs.readdirSync(work)).toEqual(['dry-run']); // the real run is not blocked by the dry run's files
    legacyBefore = await pullText(from);
  });

  tfTest('run (--skip-init after the dry run): the new backend gains every moved instance once, the legacy one loses them; lineages kept; backups equal the pulls; everything private under umask 022', async () => {
    const umask = process.umask(0o022);
    let r: Awaited<ReturnType<typeof cli>>;
    try {
      r = await cli(remoteArgs(from, to, work, '--skip-init'), root, env);
    } finally {
      process.umask(umask);
    }
    expect(r.code).toBe(0);
    // Private: the work directory 0700, every state and backup in it without group/other bits, and the
    // state terraform wrote to the (local) backend 0600.
    expect(fs.statSync(work).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(work).filter((x) => fs.statSync(path.join(work, x)).isFile())) expect({ f, mode: fs.statSync(path.join(work, f)).mode & 0o077 }).toEqual({ f, mode: 0 });
    expect(fs.statSync(remoteFile(to)).mode & 0o777).toBe(0o600);
    runOutput = r.stdout;
    expect(r.stderr).toContain('[1/6] terraform init: skipped (--skip-init)');
    expect(r.stderr).not.toContain('init -input=false');
    expect(r.stderr).toContain('  verified: 34 legacy instance(s)');
    expect(r.stderr.indexOf(`  $ ${tf} -chdir=${to} state push -no-color ${work}/to.tfstate\n`)).toBeLessThan(r.stderr.indexOf(`  $ ${tf} -chdir=${from} state push -no-color ${work}/from.tfstate\n`));
    expect(r.stderr).not.toContain('-force');

    const newState = await pull(to);
    const legacyState = await pull(from);
    const targets = plan.entries.filter((e) => e.status === 'moved').map((e) => e.target!);
    expect(targets).toHaveLength(33);
    expect(listAddresses(newState, 'managed')).toEqual([...targets].sort());
    for (const t of targets) expect(managedCount(newState, t)).toBe(1);
    expect(listAddresses(legacyState, 'managed')).toEqual([]); // the 33 moved and the retired attachment are gone
    expect(managedCount(newState, 'aws_iam_role_policy_attachment.ecs_task_execution_role_policy')).toBe(0);
    expect(verifyMigration(plan, legacyState, newState, true)).toEqual({ ok: true, problems: [], checked: 34 });

    // Lineage and serial: the legacy state keeps its lineage with a higher serial; the new state keeps
    // the lineage of the empty state created for it (the pristine copy) and starts at serial 1.
    const toPulled = readState(path.join(work, 'to.pulled.tfstate'));
    expect(legacyState.lineage).toBe(LINEAGE);
    expect(legacyState.serial).toBeGreaterThan(42);
    expect(toPulled).toMatchObject({ version: 4, serial: 0, resources: [] });
    expect(newState.lineage).toBe(toPulled.lineage);
    expect(newState.serial).toBe(1);
    expect(runOutput).toContain(`pushed: new stack state (serial 1, lineage ${toPulled.lineage}), legacy state (serial 43, lineage ${LINEAGE})\n`);

    // Backups: read-only, byte for byte what terraform state pull printed before the run.
    expect(fs.readFileSync(path.join(work, 'from.pulled.tfstate'), 'utf8')).toBe(legacyBefore);
    for (const f of ['from.pulled.tfstate', 'to.pulled.tfstate']) expect(fs.statSync(path.join(work, f)).mode & 0o777).toBe(0o400);
  });

  tfTest('rerun: the same --work-dir is refused (its backups are kept); a new one finds everything done and pushes nothing', async () => {
    const same = await cli(remoteArgs(from, to, work), root, env);
    expect(same.code).toBe(1);
    expect(same.stderr).toBe(
      `mlflow-infra migrate remote: ${work} holds files of an earlier run (from.tfstate, to.tfstate, from.pulled.tfstate, to.pulled.tfstate); they may be the only copies of the states before that run. ` +
        'Keep them and give another --work-dir: the run pulls both states again, and moves an earlier run already pushed are recognised.\n',
    );
    const fromBytes = fs.readFileSync(remoteFile(from));
    const toBytes = fs.readFileSync(remoteFile(to));
    const again = await cli(remoteArgs(from, to, path.join(caseDir, 'work-2'), '--skip-init'), root, env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 step\(s\) run, 34 skipped; pushed: nothing \(both states unchanged\)\n/);
    expect(again.stderr.match(/unchanged since the pull: not pushed/g)).toHaveLength(2);
    expect(fs.readFileSync(remoteFile(from))).toEqual(fromBytes);
    expect(fs.readFileSync(remoteFile(to))).toEqual(toBytes);
  });

  tfTest('the printed rollback commands restore both backends to the backups', async () => {
    const commands = runOutput.split('\n').filter((l) => l.startsWith(`  ${tf} `)).map((l) => l.trim().split(' ').slice(1));
    expect(commands).toEqual([
      [`-chdir=${from}`, 'state', 'push', '-force', `${work}/from.pulled.tfstate`],
      [`-chdir=${to}`, 'state', 'push', '-force', `${work}/to.pulled.tfstate`],
    ]);
    for (const argv of commands) expect((await runProcess(tf, argv, { cwd: caseDir, env })).code).toBe(0);
    const legacyState = await pull(from);
    expect({ ...legacyState, serial: 0 }).toEqual({ ...JSON.parse(legacyBefore), serial: 0 });
    expect(listAddresses(legacyState, 'managed')).toHaveLength(34);
    expect((await pull(to)).resources).toEqual([]);
  });
});

describe('faults: a concurrent write between pull and push, terraform failing to read the rewritten state', () => {
  /**
   * TERRAFORM_BINARY wrapper: on the first `state push` into `dir` it first runs `terraform
   * -chdir=<dir> <concurrent>` with the real terraform (someone else writing that state after our
   * pull), then runs the push.
   */
  function concurrentWriter(caseDir: string, dir: string, concurrent: string): string {
    const wrapper = path.join(caseDir, 'terraform-with-concurrent-writer');
    const mark = path.join(caseDir, 'concurrent.done');
    fs.writeFileSync(
      wrapper,
      `#!/bin/sh\nif [ "$1" = "-chdir=${dir}" ] && [ "$2" = state ] && [ "$3" = push ] && [ ! -e ${mark} ]; then\n` +
        `  touch ${mark}\n  ${tf} -chdir=${dir} ${concurrent} > ${mark}.log 2>&1 || exit 97\nfi\nexec ${tf} "$@"\n`,
      { mode: 0o755 },
    );
    return wrapper;
  }


  tfTest('to the new state (pulled as an empty state): its push is refused with the recovery commands, the legacy state is not pushed; the printed rerun completes and keeps the concurrent write', async () => {
    const caseDir = tmpDir('migrate-remote-race-to-');
    const newLineage = '99999999-8888-7777-6666-555555555555';
    const emptyNew: TerraformState = { version: 4, terraform_version: '1.11.4', serial: 3, lineage: newLineage, outputs: {}, resources: [] };
    const from = backendDir(caseDir, 'legacy', stubbedLegacy);
    const to = backendDir(caseDir, 'new', emptyNew);
    const work = path.join(caseDir, 'work');
    const legacyBytes = fs.readFileSync(remoteFile(from));
    // Someone pushes a state with an output into the new workspace (it is no longer empty).
    const written = path.join(caseDir, 'written-meanwhile.tfstate');
    fs.writeFileSync(written, JSON.stringify({ ...emptyNew, serial: 4, outputs: { written_meanwhile: { value: 'yes', type: 'string' } } }));
    const wrapper = concurrentWriter(caseDir, to, `state push ${written}`);

    const r = await cli(remoteArgs(from, to, work), root, { ...env, TERRAFORM_BINARY: wrapper });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`  new stack state: serial 3, lineage ${newLineage}, 0 managed instance(s)\n`);
    expect(r.stderr).not.toContain('created an empty v4 state');
    expect(r.stderr).toContain(
      `mlflow-infra migrate remote: push of the new stack state refused: the new stack state in ${to} changed since it was pulled (someone wrote it meanwhile):\n` +
        '    Failed to write state: cannot import state with serial 4 over newer state with serial 5\n\n' +
        'Nothing was pushed: both backends hold the states they held before this run (the legacy state was not pushed either).\n' +
        'Recovery: see what is there now, settle it with whoever wrote it, then start again in a new work directory (both states are pulled again):\n' +
        `  ${wrapper} -chdir=${to} state pull > ${work}/to.remote-now.tfstate   # compare with ${work}/to.pulled.tfstate\n` +
        `  node bin/mlflow-infra.js migrate remote --plan moves.json --from-dir ${from} --to-dir ${to} --work-dir ${work}-retry\n`,
    );
    expect(r.stderr).not.toContain('[6/6]');
    expect(fs.readFileSync(remoteFile(from))).toEqual(legacyBytes); // no partial push of the second state
    const raced = await pull(to);
    // terraform persists a pushed state over an existing one with serial + 1 (as for S3): 4 -> 5.
    expect(raced).toMatchObject({ serial: 5, lineage: newLineage, resources: [], outputs: { written_meanwhile: { value: 'yes' } } });

    const retry = await cli(remoteArgs(from, to, `${work}-retry`, '--skip-init'), root, env);
    expect(retry.code).toBe(0);
    const after = await pull(to);
    expect(after.lineage).toBe(newLineage); // a pulled (non-empty) state keeps its lineage
    expect(after.outputs).toEqual(raced.outputs); // the concurrent write is not lost
    expect(listAddresses(after, 'managed')).toHaveLength(33);
    expect(verifyMigration(plan, await pull(from), after, true).ok).toBe(true);
  });

  tfTest('to the legacy state: the new state is pushed, the legacy push is refused with both recovery routes; route b) rolls the new state back', async () => {
    const caseDir = tmpDir('migrate-remote-race-from-');
    const from = backendDir(caseDir, 'legacy', stubbedLegacy);
    const to = backendDir(caseDir, 'new');
    const work = path.join(caseDir, 'work');
    // Someone runs a state command on the legacy state (serial 42 -> 43).
    const wrapper = concurrentWriter(caseDir, from, 'state rm aws_lb_listener.http');

    const r = await cli(remoteArgs(from, to, work), root, { ...env, TERRAFORM_BINARY: wrapper });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `mlflow-infra migrate remote: push of the legacy state refused: the legacy state in ${from} changed since it was pulled (someone wrote it meanwhile):\n` +
        '    Failed to write state: cannot overwrite existing state with serial 43 with a different state that has the same serial\n\n' +
        "The new stack's state WAS pushed (it holds the moved resources); the legacy state was NOT: both states now list the moved resources.\n",
    );
    const rollbackLines = [
      `     ${wrapper} -chdir=${from} state pull > ${work}/from.remote-now.tfstate   # compare with ${work}/from.pulled.tfstate\n`,
      `     node bin/mlflow-infra.js migrate remote --plan moves.json --from-dir ${from} --to-dir ${to} --work-dir ${work}-retry\n`,
      `  b) roll the new stack's state back, only after checking that nobody wrote it since this push (the pull must equal ${work}/to.tfstate):\n`,
      `     ${wrapper} -chdir=${to} state pull > ${work}/to.remote-now.tfstate\n`,
      `     ${wrapper} -chdir=${to} state push -force ${work}/to.pulled.tfstate\n`,
    ];
    for (const l of rollbackLines) expect(r.stderr).toContain(l);
    const legacyNow = await pull(from);
    expect(legacyNow.serial).toBe(43);
    expect(listAddresses(legacyNow, 'managed')).toHaveLength(33);
    expect(managedCount(legacyNow, 'aws_lb_listener.http')).toBe(0);
    const newNow = await pull(to);
    expect(listAddresses(newNow, 'managed')).toHaveLength(33);

    // Route b): the new state is what this run pushed, so rolling it back is safe.
    const pushed = readState(path.join(work, 'to.tfstate'));
    expect({ ...newNow, serial: pushed.serial }).toEqual(pushed);
    expect((await runProcess(tf, [`-chdir=${to}`, 'state', 'push', '-force', path.join(work, 'to.pulled.tfstate')], { cwd: caseDir, env })).code).toBe(0);
    expect((await pull(to)).resources).toEqual([]);
  });

  tfTest('terraform cannot read the rewritten state during step 3 (injected): nothing is pushed, and the printed rerun in a new work directory completes', async () => {
    const caseDir = tmpDir('migrate-remote-mv-fails-');
    const from = backendDir(caseDir, 'legacy', stubbedLegacy);
    const to = backendDir(caseDir, 'new');
    const work = path.join(caseDir, 'work');
    const legacyBytes = fs.readFileSync(remoteFile(from));
    const wrapper = path.join(caseDir, 'terraform-list-fails');
    fs.writeFileSync(
      wrapper,
      `#!/bin/sh\nif [ "$1" = state ] && [ "$2" = list ]; then echo "injected: cannot read state" >&2; exit 1; fi\nexec ${tf} "$@"\n`,
      { mode: 0o755 },
    );
    const r = await cli(remoteArgs(from, to, work), root, { ...env, TERRAFORM_BINARY: wrapper });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/terraform did not read the rewritten state .*to\.tfstate\.migrate-new as expected \(exit 1\):\n\s*injected: cannot read state\n/);
    expect(r.stderr).toContain(
      `Nothing was pushed: both backends are unchanged. After fixing the cause, run again in a new work directory (the local copies in ${work} are not reused):\n` +
        `  node bin/mlflow-infra.js migrate remote --plan moves.json --from-dir ${from} --to-dir ${to} --work-dir ${work}-retry\n`,
    );
    expect(r.stderr).not.toContain('[5/6]');
    expect(fs.readFileSync(remoteFile(from))).toEqual(legacyBytes);
    expect(fs.existsSync(remoteFile(to))).toBe(false);

    const retry = await cli(remoteArgs(from, to, `${work}-retry`, '--skip-init'), root, env);
    expect(retry.code).toBe(0);
    expect(verifyMigration(plan, await pull(from), await pull(to), true)).toEqual({ ok: true, problems: [], checked: 34 });
  });

  tfTest('a legacy state written after planning (serial 43): the stale plan is refused before any move or push', async () => {
    const caseDir = tmpDir('migrate-remote-stale-');
    const from = backendDir(caseDir, 'legacy', { ...stubbedLegacy, serial: 43 });
    const to = backendDir(caseDir, 'new');
    const work = path.join(caseDir, 'work');
    const legacyBytes = fs.readFileSync(remoteFile(from));
    const r = await cli(remoteArgs(from, to, work), root, env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`mlflow-infra migrate remote: refusing to change any state:\n  - ${work}/from.tfstate: serial is 43, the plan was made at serial 42: the state changed since planning (plan again)\nNothing was pushed: both backends are unchanged.`);
    expect(fs.readdirSync(work).filter((f) => f.includes('backup'))).toEqual([]);
    expect(fs.readFileSync(remoteFile(from))).toEqual(legacyBytes);
    expect(fs.existsSync(remoteFile(to))).toBe(false);
  });

  tfTest('bad input: missing options exit 64; a missing directory and the same directory twice are both reported, exit 1', async () => {
    const missing = await cli(['migrate', 'remote', '--plan', 'moves.json', '--from-dir', 'x'], root, env);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('missing required options: --to-dir, --work-dir');
    const bad = await cli(['migrate', 'remote', '--plan', 'moves.json', '--from-dir', 'nowhere', '--to-dir', 'nowhere', '--work-dir', 'w'], root, env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `mlflow-infra migrate remote: --from-dir ${root}/nowhere is not a directory\n--to-dir ${root}/nowhere is not a directory\n` +
        `--from-dir and --to-dir are the same directory (${root}/nowhere): one state needs migrate apply --same-state or migrate moved-blocks\n`,
    );
    expect(fs.existsSync(path.join(root, 'w'))).toBe(false);
  });
});
