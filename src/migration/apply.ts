/**
 * `migrate apply`: runs the plan on local state files, checked by the real terraform.
 *
 * - separate states (`--to-state`): the moved instances leave the legacy state and join the new
 *   stack's state (pulled from / pushed to a backend by `migrate remote`);
 * - same state: the instances change address inside one state.
 *
 * One in-memory rewrite, not one `terraform state mv` per instance (each of which rewrites the whole
 * state and writes a full backup: hours and ~100 GiB at 10k instances). The result is exactly what
 * those `state mv` / `state rm` commands produce (`--dry-run` prints them); terraform itself reads
 * every new file (`terraform state list`) and must list exactly the expected addresses before a file
 * replaces a state.
 *
 * Safe by construction: the move file is checked against the synthesized stack and both states
 * first (plan-check.ts), every step against both states (a target held by another object, a lineage
 * that is not the plan's, or a serial that changed without being explained by this plan's own
 * finished moves all refuse the run); read-only copies of every state are taken before the first
 * write; each file is replaced atomically (0600, temporary file + rename), the new stack's state
 * before the legacy one, so an interruption between the two leaves every object in the new state
 * and a rerun only removes the copies from the legacy state; a lock file next to each state stops a
 * concurrent run; finished steps are recognised and skipped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellCommand } from '../terraform-json/address';
import { checkPlanFile } from './plan-check';
import { MovePlan, PlanEntry, planSteps } from './planner';
import { StackJson } from './stack';
import { rewriteStates } from './simulate';
import { listAddresses, managedByAddress, readState, readStateOrEmpty, StateEntry, TerraformState } from '../terraform-json/state';
import { makePrivate, withPrivateUmask, writePrivateFile } from '../private-files';
import { runProcess } from '../terraform';
import { EXIT, InfraError } from '../errors';

/** A safety check refused the run before any state changed (exit 3). */
export class ApplyRefused extends InfraError {
  constructor(readonly problems: readonly string[]) {
    super(`refusing to change any state:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { exitCode: EXIT.refused });
  }
}

/** A step failed (exit 1); the message says what was changed and what to do. */
export class ApplyError extends InfraError {}

export interface ApplyOptions {
  readonly plan: MovePlan;
  /** The synthesized stack the plan must have been made against (its digest is checked). */
  readonly stack: StackJson;
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
  /** Called after each state file is replaced (new stack's state first); for progress and fault tests. */
  readonly onCommit?: (file: string) => void;
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

/** terraform's own backup files of a state (`<file>.<timestamp>.backup`, `<file>.backup`). */
function terraformBackups(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.startsWith(`${base}.`) && f.endsWith('.backup') && !f.endsWith('.pre-migrate.backup'))
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

export async function applyPlan(opts: ApplyOptions): Promise<ApplyResult> {
  const from = path.resolve(opts.fromState);
  const to = opts.toState === undefined ? undefined : path.resolve(opts.toState);
  if (to === from) throw new ApplyRefused(['--from-state and --to-state are the same file: use --same-state']);
  const release = opts.dryRun ? () => undefined : acquireLocks(to ? [from, to] : [from]);
  const rcDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-migrate-'));
  const pending: string[] = [];
  try {
    const fromState = readState(from);
    const toState = to ? readStateOrEmpty(to) : undefined;
    const checked = checkPlanFile({ plan: opts.plan, stack: opts.stack, from: fromState, to: toState, separate: to !== undefined, fromFile: from, toFile: to });
    const initial = inspectSteps(opts.plan, fromState, toState, from, to);
    const problems = [...checked, ...initial.problems];
    if (problems.length > 0) throw new ApplyRefused(problems);
    const work = initial.steps.filter((s) => s.state === 'todo' || s.state === 'finish-duplicate');
    const skipped = initial.steps.length - work.length;
    if (skipped > 0) opts.progress(`${skipped} step(s) need nothing (already done, or kept at the same address in the same state)`);
    if (opts.dryRun) {
      opts.progress(`the run rewrites ${to ? 'both states' : 'the state'} once, with the same result as these commands:`);
      work.forEach((s, i) => opts.progress(`[${i + 1}/${work.length}] ${shellCommand([opts.terraform, ...s.argv])}`));
      return { steps: initial.steps, executed: 0, skipped, backups: [] };
    }
    if (work.length === 0) return { steps: initial.steps, executed: 0, skipped, backups: [] };

    const backups: string[] = [];
    const suffix = `${stamp((opts.now ?? (() => new Date()))())}.pre-migrate.backup`;
    for (const f of to ? [from, to] : [from]) {
      if (!fs.existsSync(f)) continue;
      const b = `${f}.${suffix}`;
      fs.copyFileSync(f, b, fs.constants.COPYFILE_EXCL);
      fs.chmodSync(b, 0o400);
      backups.push(b);
      opts.progress(`backup: ${b}`);
    }

    const verbose = work.length <= 100;
    work.forEach((s, i) => {
      if (verbose || (i + 1) % 1000 === 0 || i + 1 === work.length) opts.progress(`[${i + 1}/${work.length}] ${describe(s)}`);
    });
    const next = rewriteStates(
      fromState,
      toState,
      work.map((st) => ({ source: st.entry.source, target: st.action === 'mv' && st.state === 'todo' ? st.entry.target : undefined })),
      to !== undefined,
    );
    // New stack's state first: an interruption before the legacy state is replaced leaves every object
    // in the new state, and a rerun finishes by removing the copies from the legacy state.
    const files: [string, TerraformState][] = to ? [[to, next.to!], [from, next.from]] : [[from, next.from]];

    const rc = path.join(rcDir, 'terraform.rc');
    fs.writeFileSync(rc, 'disable_checkpoint = true\n');
    const env = { ...opts.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    const staged: [string, string][] = [];
    for (const [file, state] of files) {
      const tmp = `${file}.migrate-new`;
      pending.push(tmp);
      writePrivateFile(tmp, JSON.stringify(state, null, 2) + '\n');
      opts.progress(`terraform state list -state=${tmp} (terraform reads the rewritten ${file === to ? "new stack's" : 'legacy'} state)`);
      const listed = await withPrivateUmask(() => runProcess(opts.terraform, ['state', 'list', '-no-color', `-state=${tmp}`], { cwd: rcDir, env }));
      const expected = listAddresses(state).sort();
      const got = listed.stdout.split('\n').filter((l) => l.trim() !== '').sort();
      if (listed.code !== 0 || got.join('\n') !== expected.join('\n')) {
        const listedSet = new Set(got);
        const missing = listed.code === 0 ? expected.filter((a) => !listedSet.has(a)).slice(0, 5) : [];
        throw new ApplyError(
          `terraform did not read the rewritten state ${tmp} as expected (exit ${listed.code}${missing.length ? `; missing ${missing.join(', ')}` : ''}):\n${(listed.stderr || listed.stdout).trim().slice(0, 2000)}\n` +
            `Nothing was changed: ${files.map(([f]) => f).join(' and ')} are as before. Backups: ${backups.join(', ')}`,
        );
      }
      staged.push([tmp, file]);
    }
    for (const [tmp, file] of staged) {
      fs.renameSync(tmp, file);
      pending.splice(pending.indexOf(tmp), 1);
      makePrivate([file, ...terraformBackups(file)]);
      opts.progress(`wrote ${file} (serial ${(file === to ? next.to! : next.from).serial})`);
      opts.onCommit?.(file);
    }
    return { steps: initial.steps, executed: work.length, skipped, backups };
  } finally {
    pending.forEach((f) => fs.rmSync(f, { force: true }));
    release();
    fs.rmSync(rcDir, { recursive: true, force: true });
  }
}
