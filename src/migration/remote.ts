/**
 * `migrate remote`: the pull/push wrapper around `migrate apply` for states kept in a backend
 * (S3, Terraform Cloud, ...), in separate-state mode:
 *
 *   1. `terraform -chdir=<dir> init -input=false` in the legacy and the new stack directory;
 *   2. `terraform -chdir=<dir> state pull` of each into `<work-dir>/from.tfstate` / `to.tfstate`, with
 *      read-only pristine copies `from.pulled.tfstate` / `to.pulled.tfstate` (a new workspace pulls
 *      nothing: an empty v4 state with a new lineage is created and said so);
 *   3. {@link applyPlan} on those files (one in-memory rewrite, read back by terraform), then 4. {@link verifyMigration};
 *   5. `terraform -chdir=<to-dir> state push <work-dir>/to.tfstate` first (the new stack gains the
 *      resources), then 6. `terraform -chdir=<from-dir> state push <work-dir>/from.tfstate`.
 *
 * Concurrent writers: `terraform state push` (without `-force`, never used here) refuses another
 * lineage, a lower serial, or the same serial with other content, but accepts any higher serial. The
 * local rewrite raises the files' serials, so a state written by someone
 * else between our pull and our push would be overwritten silently. Before pushing, each file's
 * serial is therefore set to (pulled serial + 1): the push then succeeds only if the remote state is
 * still the one pulled, which makes terraform's own check a compare-and-swap. A refused push stops
 * the run with what was and was not pushed and the exact recovery commands.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { shellCommand } from '../terraform-json/address';
import { applyPlan, ApplyRefused, ApplyResult } from './apply';
import { MovePlan } from './planner';
import { StackJson } from './stack';
import { listAddresses, parseState, readState, TerraformState } from '../terraform-json/state';
import { verifyMigration } from './verify';
import { ensurePrivateDir, makePrivate, withPrivateUmask, writePrivateFile } from '../private-files';
import { runProcess } from '../terraform';
import { EXIT, InfraError } from '../errors';

export type Side = 'from' | 'to';

export interface RemoteOptions {
  readonly plan: MovePlan;
  /** The synthesized stack the plan was made against (checked by apply). */
  readonly stack: StackJson;
  /** The plan file as the user gave it (for the rerun command in messages). */
  readonly planFile: string;
  /** The legacy Terraform directory (its backend holds the legacy state). */
  readonly fromDir: string;
  /** The new stack's directory, e.g. cdktf.out/stacks/mlflow-production. */
  readonly toDir: string;
  /** Pulled copies and backups; a dry run uses `<work-dir>/dry-run`. */
  readonly workDir: string;
  readonly dryRun: boolean;
  readonly skipInit: boolean;
  /** The terraform binary (TERRAFORM_BINARY / PATH, see src/terraform). */
  readonly terraform: string;
  readonly env: NodeJS.ProcessEnv;
  /** Progress and command lines (stderr in the CLI). */
  readonly progress: (line: string) => void;
}

export interface RemoteFiles {
  readonly from: string;
  readonly to: string;
  readonly fromPulled: string;
  readonly toPulled: string;
}

export interface RemoteResult {
  readonly files: RemoteFiles;
  /** The new stack's backend had no state: an empty one with a new lineage was created. */
  readonly createdEmptyTo: boolean;
  readonly apply: ApplyResult;
  /** Sides pushed, in order (none in a dry run). */
  readonly pushed: readonly Side[];
  /** Sides not pushed because nothing changed in them. */
  readonly unchanged: readonly Side[];
  /** Final serial and lineage of each file (after the serial was set for the push). */
  readonly states: Readonly<Record<Side, { serial: number; lineage: string }>>;
}

/** A step failed or was refused; the message says what was pushed and how to recover. */
export class RemoteMigrationError extends InfraError {
  /** @param refused a safety check refused the run before anything was changed or pushed (exit 3) */
  constructor(message: string, readonly refused = false) {
    super(message, { exitCode: refused ? EXIT.refused : EXIT.failed });
  }
}

const TOTAL_STEPS = 6;

const LABEL: Record<Side, string> = { from: 'legacy', to: 'new stack' };

function remoteFiles(workDir: string): RemoteFiles {
  const dir = path.resolve(workDir);
  return {
    from: path.join(dir, 'from.tfstate'),
    to: path.join(dir, 'to.tfstate'),
    fromPulled: path.join(dir, 'from.pulled.tfstate'),
    toPulled: path.join(dir, 'to.pulled.tfstate'),
  };
}

/** A valid empty v4 state, as terraform writes for a new workspace. */
export function emptyState(terraformVersion: string, lineage: string = randomUUID()): TerraformState {
  return { version: 4, terraform_version: terraformVersion, serial: 0, lineage, outputs: {}, resources: [], check_results: null };
}

/** What a push changes: resources and outputs (serial, lineage and version aside). */
function sameContent(a: TerraformState, b: TerraformState): boolean {
  return JSON.stringify([a.resources, a.outputs ?? {}]) === JSON.stringify([b.resources, b.outputs ?? {}]);
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** Whether terraform refused a push because the remote state is not the one pulled. */
function isStaleRefusal(stderr: string): boolean {
  return /cannot import state with (serial|lineage)|cannot overwrite existing state|over (newer|unrelated) state/.test(stripAnsi(stderr));
}

export async function migrateRemote(opts: RemoteOptions): Promise<RemoteResult> {
  const fromDir = path.resolve(opts.fromDir);
  const toDir = path.resolve(opts.toDir);
  const workDir = path.resolve(opts.dryRun ? path.join(opts.workDir, 'dry-run') : opts.workDir);
  const files = remoteFiles(workDir);
  const tf = opts.terraform;
  const env = { ...opts.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const dirOf: Record<Side, string> = { from: fromDir, to: toDir };
  const fileOf: Record<Side, string> = { from: files.from, to: files.to };
  const pulledOf: Record<Side, string> = { from: files.fromPulled, to: files.toPulled };
  const step = (n: number, text: string) => opts.progress(`[${n}/${TOTAL_STEPS}] ${text}`);
  const show = (argv: readonly string[], suffix = '') => opts.progress(`  $ ${shellCommand([tf, ...argv])}${suffix}`);
  // umask 077 for terraform (pulls, pushes and the backups it writes are private), then chmod 0600
  // of any state or backup file in the work directory after each command, whatever wrote it.
  const run = async (argv: readonly string[]) => {
    const result = await withPrivateUmask(() => runProcess(tf, argv, { cwd: workDir, env }));
    if (fs.existsSync(workDir)) makePrivate(fs.readdirSync(workDir).filter((f) => /\.(tfstate|backup)$/.test(f)).map((f) => path.join(workDir, f)));
    return result;
  };

  const problems: string[] = [];
  for (const [flag, dir] of [['--from-dir', fromDir], ['--to-dir', toDir]] as const) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) problems.push(`${flag} ${dir} is not a directory`);
  }
  if (fromDir === toDir) problems.push(`--from-dir and --to-dir are the same directory (${fromDir}): one state needs migrate apply --same-state or migrate moved-blocks`);
  if (problems.length > 0) throw new RemoteMigrationError(problems.join('\n'));

  ensurePrivateDir(workDir);
  const ours = Object.values(files);
  if (opts.dryRun) {
    ours.forEach((f) => fs.rmSync(f, { force: true }));
  } else {
    const left = ours.filter((f) => fs.existsSync(f));
    if (left.length > 0) {
      throw new RemoteMigrationError(
        `${workDir} holds files of an earlier run (${left.map((f) => path.basename(f)).join(', ')}); they may be the only copies of the states before that run. ` +
          'Keep them and give another --work-dir: the run pulls both states again, and moves an earlier run already pushed are recognised.',
      );
    }
  }
  const rerun = (dir: string) =>
    `node bin/mlflow-infra.js migrate remote ${shellCommand(['--plan', opts.planFile, '--from-dir', fromDir, '--to-dir', toDir, '--work-dir', dir])}`;

  // 1. init
  if (opts.skipInit) step(1, 'terraform init: skipped (--skip-init)');
  else {
    step(1, 'terraform init of the legacy and the new stack directory');
    for (const side of ['from', 'to'] as const) {
      const argv = [`-chdir=${dirOf[side]}`, 'init', '-input=false', '-no-color'];
      show(argv);
      const r = await run(argv);
      if (r.code !== 0) throw new RemoteMigrationError(`terraform init in ${dirOf[side]} (${LABEL[side]}) failed, exit ${r.code}; nothing was changed:\n${indent(stripAnsi(r.stderr || r.stdout))}`);
    }
  }

  // 2. pull
  step(2, `terraform state pull of both states into ${workDir}`);
  const pulled = {} as Record<Side, TerraformState>;
  const texts = {} as Record<Side, string>;
  let createdEmptyTo = false;
  for (const side of ['from', 'to'] as const) {
    const argv = [`-chdir=${dirOf[side]}`, 'state', 'pull', '-no-color'];
    show(argv, ` > ${shellCommand([pulledOf[side]])}`);
    const r = await run(argv);
    if (r.code !== 0) throw new RemoteMigrationError(`terraform state pull in ${dirOf[side]} (${LABEL[side]}) failed, exit ${r.code}; nothing was changed:\n${indent(stripAnsi(r.stderr || r.stdout))}`);
    let text = r.stdout;
    if (text.trim() === '') {
      if (side === 'from') {
        throw new RemoteMigrationError(`terraform state pull in ${fromDir} printed nothing: the legacy backend holds no state (wrong directory, backend configuration or workspace?); nothing was changed`);
      }
      const version = pulled.from.terraform_version ?? 'unknown';
      const created = emptyState(version);
      text = JSON.stringify(created, null, 2) + '\n';
      createdEmptyTo = true;
      opts.progress(`  the new stack's backend has no state (the pull printed nothing): created an empty v4 state with the new lineage ${created.lineage}; ${path.basename(files.toPulled)} is that empty state`);
    }
    pulled[side] = parseState(text, `terraform -chdir=${dirOf[side]} state pull`);
    texts[side] = text;
    opts.progress(`  ${LABEL[side]} state: serial ${pulled[side].serial}, lineage ${pulled[side].lineage}, ${listAddresses(pulled[side], 'managed').length} managed instance(s)`);
  }
  if (pulled.from.lineage === pulled.to.lineage) {
    throw new RemoteMigrationError(`both directories pull the same state (lineage ${pulled.from.lineage}): one state needs migrate apply --same-state or migrate moved-blocks; nothing was changed`);
  }
  // Written only once both pulls succeeded, so a failed pull leaves the work directory reusable.
  for (const side of ['from', 'to'] as const) {
    fs.writeFileSync(pulledOf[side], texts[side], { flag: 'wx', mode: 0o400 });
    fs.writeFileSync(fileOf[side], texts[side], { flag: 'wx', mode: 0o600 });
  }

  // 3. apply (separate states, local files), 4. verify: nothing remote changes yet.
  let applied: ApplyResult;
  const current = {} as Record<Side, TerraformState>;
  try {
    step(3, `the moves on the local copies: one rewrite, checked by terraform state list${opts.dryRun ? ' (dry run: the equivalent state mv / state rm commands)' : ''}`);
    applied = await applyPlan({ plan: opts.plan, stack: opts.stack, fromState: files.from, toState: files.to, dryRun: opts.dryRun, terraform: tf, env: opts.env, progress: (l) => opts.progress(`  ${l}`) });
    if (opts.dryRun) {
      step(4, 'verify: skipped (dry run: nothing was moved)');
    } else {
      step(4, 'verify: every legacy instance exactly once where the plan says');
      current.from = readState(files.from);
      current.to = readState(files.to);
      const v = verifyMigration(opts.plan, current.from, current.to, true);
      if (!v.ok) throw new RemoteMigrationError(`verification failed:\n${v.problems.map((p) => `  - ${p}`).join('\n')}`);
      opts.progress(`  verified: ${v.checked} legacy instance(s)`);
      for (const side of ['from', 'to'] as const) {
        if (current[side].lineage !== pulled[side].lineage) throw new RemoteMigrationError(`${fileOf[side]}: lineage ${current[side].lineage} is not the pulled ${pulled[side].lineage}`);
      }
    }
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    throw new RemoteMigrationError(
      `${err.message}\nNothing was pushed: both backends are unchanged. After fixing the cause, run again in a new work directory (the local copies in ${workDir} are not reused):\n  ${rerun(`${workDir}-retry`)}`,
      err instanceof ApplyRefused,
    );
  }

  // 5-6. push: the new stack first, then the legacy state
  const pushed: Side[] = [];
  const unchanged: Side[] = [];
  const states = {} as Record<Side, { serial: number; lineage: string }>;
  const dryChanges: Record<Side, boolean> = {
    to: applied.steps.some((s) => s.state === 'todo' && s.action === 'mv'),
    from: applied.steps.some((s) => s.state === 'todo' || s.state === 'finish-duplicate'),
  };
  for (const [i, side] of (['to', 'from'] as const).entries()) {
    const serial = pulled[side].serial + 1;
    const argv = [`-chdir=${dirOf[side]}`, 'state', 'push', '-no-color', fileOf[side]];
    step(5 + i, `push the ${LABEL[side]} state`);
    const changed = opts.dryRun ? dryChanges[side] : !sameContent(current[side], pulled[side]);
    if (!changed) {
      opts.progress(`  unchanged since the pull: not pushed`);
      unchanged.push(side);
      states[side] = { serial: pulled[side].serial, lineage: pulled[side].lineage };
      continue;
    }
    states[side] = { serial, lineage: pulled[side].lineage };
    opts.progress(`  serial ${opts.dryRun ? 'would be ' : ''}set to ${serial} (pulled at ${pulled[side].serial}): terraform refuses the push if anyone wrote the state since the pull`);
    if (opts.dryRun) {
      show(argv, '   (dry run: not run)');
      continue;
    }
    writePrivateFile(fileOf[side], JSON.stringify({ ...current[side], serial }, null, 2) + '\n');
    show(argv);
    const r = await run(argv);
    if (r.code !== 0) throw new RemoteMigrationError(pushFailure(side, r.code, stripAnsi(r.stderr || r.stdout), pushed, { dirOf, fileOf, pulledOf, workDir, rerun, tf }));
    pushed.push(side);
  }
  return { files, createdEmptyTo, apply: applied, pushed, unchanged, states };
}

interface Context {
  dirOf: Record<Side, string>;
  fileOf: Record<Side, string>;
  pulledOf: Record<Side, string>;
  workDir: string;
  rerun: (workDir: string) => string;
  tf: string;
}

function pushFailure(side: Side, code: number, output: string, pushed: readonly Side[], c: Context): string {
  const cmd = (...argv: string[]) => shellCommand([c.tf, ...argv]);
  const now = (s: Side) => `${cmd(`-chdir=${c.dirOf[s]}`, 'state', 'pull')} > ${shellCommand([path.join(c.workDir, `${s}.remote-now.tfstate`)])}`;
  const retryDir = `${c.workDir}-retry`;
  const stale = isStaleRefusal(output);
  const cause = stale ? `refused: the ${LABEL[side]} state in ${c.dirOf[side]} changed since it was pulled (someone wrote it meanwhile)` : `failed: terraform exited ${code}`;
  const lines = [`push of the ${LABEL[side]} state ${cause}:`, indent(output), ''];
  if (pushed.length === 0) {
    lines.push(
      `Nothing was pushed: both backends hold the states they held before this run (${side === 'to' ? 'the legacy state was not pushed either' : "the new stack's state needed no change"}).`,
      `Recovery: see what is there now${stale ? ', settle it with whoever wrote it' : ''}, then start again in a new work directory (both states are pulled again):`,
      `  ${now(side)}   # compare with ${c.pulledOf[side]}`,
      `  ${c.rerun(retryDir)}`,
    );
  } else {
    lines.push(
      `The new stack's state WAS pushed (it holds the moved resources); the legacy state was NOT: both states now list the moved resources.`,
      'Run neither terraform plan nor apply in either directory until this is resolved. Recovery, either:',
      `  a) see what changed in the legacy state, then finish in a new work directory (moves already in the new state are recognised and`,
      `     only removed from the legacy state; a run that still refuses because the legacy state changed needs b) and a new plan):`,
      `     ${now('from')}   # compare with ${c.pulledOf.from}`,
      `     ${c.rerun(retryDir)}`,
      `  b) roll the new stack's state back, only after checking that nobody wrote it since this push (the pull must equal ${c.fileOf.to}):`,
      `     ${now('to')}`,
      `     ${cmd(`-chdir=${c.dirOf.to}`, 'state', 'push', '-force', c.pulledOf.to)}`,
    );
  }
  return lines.join('\n');
}

/** The rollback commands for a finished run (legacy first, so every object always has an owner). */
export function rollbackCommands(terraform: string, fromDir: string, toDir: string, files: RemoteFiles): string[] {
  return [
    shellCommand([terraform, `-chdir=${path.resolve(fromDir)}`, 'state', 'push', '-force', files.fromPulled]),
    shellCommand([terraform, `-chdir=${path.resolve(toDir)}`, 'state', 'push', '-force', files.toPulled]),
  ];
}
