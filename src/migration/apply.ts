/**
 * `migrate apply`: runs the plan with the real `terraform state mv` / `state rm` on local state files.
 *
 * - separate states: `terraform state mv -state=<from> -state-out=<to> <src> <dst>` (the new stack's
 *   state is a different file, e.g. pulled from / pushed to Terraform Cloud);
 * - same state: `terraform state mv -state=<file> <src> <dst>` (the stack reuses the legacy backend).
 *
 * Safe by construction: every step is checked against both states before anything is written (a
 * target held by another object, a lineage that is not the plan's, or a serial that changed without
 * being explained by this plan's own finished moves all refuse the run); timestamped copies of every
 * state are taken before the first write (terraform also writes its own `-backup`); a lock file next
 * to each state stops a concurrent run; finished steps are recognised and skipped, so a rerun after an
 * interruption completes the rest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellCommand } from './address';
import { MovePlan, PlanEntry, planSteps } from './planner';
import { managedByAddress, readState, readStateOrEmpty, StateEntry, TerraformState } from './state';
import { runProcess } from '../terraform';

export class ApplyRefused extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`refusing to change any state:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface ApplyOptions {
  readonly plan: MovePlan;
  readonly fromState: string;
  /** Separate-state mode when set; same-state mode (one file) when undefined. */
  readonly toState?: string;
  readonly dryRun: boolean;
  /** The terraform binary (TERRAFORM_BINARY / PATH, see src/terraform). */
  readonly terraform: string;
  readonly env: NodeJS.ProcessEnv;
  /** Progress and command lines (stderr in the CLI). */
  readonly progress: (line: string) => void;
  readonly now?: () => Date;
}

export type StepState = 'todo' | 'done' | 'finish-duplicate' | 'noop';

export interface StepStatus {
  readonly entry: PlanEntry;
  readonly action: 'mv' | 'rm';
  readonly state: StepState;
  readonly argv: readonly string[];
}

export interface ApplyResult {
  readonly steps: readonly StepStatus[];
  readonly executed: number;
  readonly skipped: number;
  readonly backups: readonly string[];
}

function sameObject(a: StateEntry, b: StateEntry): boolean {
  return JSON.stringify(a.attributes) === JSON.stringify(b.attributes);
}

/** The argv (without the binary) of one step. */
export function stepArgv(entry: PlanEntry, fromState: string, toState: string | undefined): string[] {
  if (entry.status === 'retired') return ['state', 'rm', `-state=${fromState}`, entry.source];
  const out = toState ? [`-state-out=${toState}`] : [];
  return ['state', 'mv', `-state=${fromState}`, ...out, entry.source, entry.target!];
}

/** Classifies every step against the current states; collects every reason to refuse. */
export function inspectSteps(plan: MovePlan, from: TerraformState, to: TerraformState | undefined, fromFile: string, toFile: string | undefined): { steps: StepStatus[]; problems: string[] } {
  const separate = toFile !== undefined;
  const fromMap = managedByAddress(from);
  const toMap = separate ? managedByAddress(to) : fromMap;
  const problems: string[] = [];
  const steps: StepStatus[] = [];
  if (from.lineage !== plan.legacyState.lineage) {
    problems.push(`${fromFile}: lineage ${from.lineage} is not the planned ${plan.legacyState.lineage} (another state: plan again)`);
  }
  for (const entry of planSteps(plan)) {
    const argv = stepArgv(entry, fromFile, toFile);
    const src = fromMap.get(entry.source);
    if (entry.status === 'retired') {
      steps.push({ entry, action: 'rm', state: src ? 'todo' : 'done', argv });
      continue;
    }
    const target = entry.target!;
    if (!separate && target === entry.source) {
      if (!src) problems.push(`${entry.source} (kept) is missing from ${fromFile}`);
      steps.push({ entry, action: 'mv', state: 'noop', argv });
      continue;
    }
    const dst = toMap.get(target);
    const idOf = (e: StateEntry) => (e.attributes.id === undefined ? undefined : String(e.attributes.id));
    if (src && !dst) steps.push({ entry, action: 'mv', state: 'todo', argv });
    else if (!src && dst) {
      if (entry.id !== undefined && idOf(dst) !== entry.id) {
        problems.push(`${target} is occupied by another object (id ${idOf(dst)}, expected ${entry.id}) and ${entry.source} is gone from ${fromFile}`);
      }
      steps.push({ entry, action: 'mv', state: 'done', argv });
    } else if (src && dst) {
      if (separate && sameObject(src, dst)) steps.push({ entry, action: 'rm', state: 'finish-duplicate', argv: ['state', 'rm', `-state=${fromFile}`, entry.source] });
      else problems.push(`target ${target} is already occupied by another object (id ${idOf(dst)}; ${entry.source} has id ${idOf(src)})`);
    } else {
      problems.push(`${entry.source} is missing from ${fromFile} and ${target} from ${toFile ?? fromFile}: the state changed since planning`);
    }
  }
  const finished = steps.filter((s) => s.state === 'done' || s.state === 'finish-duplicate').length;
  if (from.serial !== plan.legacyState.serial) {
    if (finished === 0) {
      problems.push(`${fromFile}: serial is ${from.serial}, the plan was made at serial ${plan.legacyState.serial}: the state changed since planning (plan again)`);
    } else {
      const known = new Map(plan.entries.map((e) => [e.source, e]));
      for (const [addr, e] of fromMap) {
        const planned = known.get(addr);
        if (!planned) problems.push(`${fromFile}: ${addr} is not in the plan (serial ${from.serial} != ${plan.legacyState.serial} and not explained by this plan's moves)`);
        else if (planned.id !== undefined && String(e.attributes.id) !== planned.id) problems.push(`${fromFile}: ${addr} has id ${String(e.attributes.id)}, the plan recorded ${planned.id}`);
      }
    }
  }
  return { steps, problems };
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/** Exclusive lock files next to each state; released by the returned function. */
export function acquireLocks(files: readonly string[]): () => void {
  const taken: string[] = [];
  try {
    for (const f of files) {
      const lock = `${f}.migrate.lock`;
      try {
        fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }) + '\n', { flag: 'wx' });
        taken.push(lock);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = fs.readFileSync(lock, 'utf8').trim();
        throw new ApplyRefused([`${lock} exists (${holder}): another migration is running; if it died, check the states and delete the lock file`]);
      }
    }
  } catch (err) {
    taken.forEach((l) => fs.rmSync(l, { force: true }));
    throw err;
  }
  return () => taken.forEach((l) => fs.rmSync(l, { force: true }));
}

function describe(s: StepStatus): string {
  const e = s.entry;
  if (s.state === 'finish-duplicate') return `rm ${e.source} (already copied to ${e.target}; finishing an interrupted move)`;
  return e.status === 'retired' ? `rm ${e.source} (retired: ${e.reason})` : `mv ${e.source} -> ${e.target}`;
}

export async function applyPlan(opts: ApplyOptions): Promise<ApplyResult> {
  const from = path.resolve(opts.fromState);
  const to = opts.toState === undefined ? undefined : path.resolve(opts.toState);
  if (to === from) throw new ApplyRefused(['--from-state and --to-state are the same file: use --same-state']);
  const release = opts.dryRun ? () => undefined : acquireLocks(to ? [from, to] : [from]);
  const rcDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-migrate-'));
  try {
    const initial = inspectSteps(opts.plan, readState(from), to ? readStateOrEmpty(to) : undefined, from, to);
    if (initial.problems.length > 0) throw new ApplyRefused(initial.problems);
    const work = initial.steps.filter((s) => s.state === 'todo' || s.state === 'finish-duplicate');
    const skipped = initial.steps.length - work.length;
    if (skipped > 0) opts.progress(`${skipped} step(s) need nothing (already done, or kept at the same address in the same state)`);
    if (opts.dryRun) {
      work.forEach((s, i) => opts.progress(`[${i + 1}/${work.length}] ${shellCommand([opts.terraform, ...s.argv])}`));
      return { steps: initial.steps, executed: 0, skipped, backups: [] };
    }
    const backups: string[] = [];
    if (work.length > 0) {
      const suffix = `${stamp((opts.now ?? (() => new Date()))())}.pre-migrate.backup`;
      for (const f of to ? [from, to] : [from]) {
        if (!fs.existsSync(f)) continue;
        const b = `${f}.${suffix}`;
        fs.copyFileSync(f, b, fs.constants.COPYFILE_EXCL);
        fs.chmodSync(b, 0o400);
        backups.push(b);
        opts.progress(`backup: ${b}`);
      }
    }
    const rc = path.join(rcDir, 'terraform.rc');
    fs.writeFileSync(rc, 'disable_checkpoint = true\n');
    const env = { ...opts.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    let executed = 0;
    for (const [i, s] of work.entries()) {
      opts.progress(`[${i + 1}/${work.length}] ${describe(s)}`);
      const result = await runProcess(opts.terraform, s.argv, { cwd: rcDir, env });
      if (result.code !== 0) {
        throw new Error(
          `terraform ${s.argv.slice(0, 2).join(' ')} failed at step ${i + 1}/${work.length} (${describe(s)}), exit ${result.code}:\n${(result.stderr || result.stdout).trim()}\n` +
            `${executed} step(s) done in this run; the states are consistent up to the previous step. Fix the cause and rerun the same command: finished steps are skipped. Backups: ${backups.join(', ') || '(none)'}`,
        );
      }
      executed++;
    }
    return { steps: initial.steps, executed, skipped, backups };
  } finally {
    release();
    fs.rmSync(rcDir, { recursive: true, force: true });
  }
}
