/**
 * Running terraform in an emulator workspace with progress: `init`, `apply`/`destroy` (machine-
 * readable `-json` UI, so progress and errors are counted, not scraped), `plan -out` + `show -json`.
 */
import * as path from 'node:path';
import { OfflineWorkspace, RunResult } from '../terraform';
import { Diagnostic, jsonDiagnostics } from '../terraform/validate-stack';
import { parsePlan, PlanDocument } from '../plan-review';

export type Progress = (line: string) => void;

/** Counts of one `apply -json` / `destroy -json` run, from terraform's machine-readable UI. */
export interface ApplyOutcome {
  readonly ok: boolean;
  readonly code: number;
  /** Planned resource actions (`planned_change` messages). */
  readonly planned: number;
  /** Completed resource actions (`apply_complete`). */
  readonly completed: number;
  /** Addresses whose action failed (`apply_errored`). */
  readonly errored: readonly string[];
  /** Error diagnostics (summary: detail). */
  readonly errors: readonly string[];
  readonly seconds: number;
}

/**
 * Folds the JSON lines of `terraform apply -json` into counts; `onChange` is called after each
 * line that changed them (for progress).
 */
export class ApplyTracker {
  planned = 0;
  completed = 0;
  readonly inProgress = new Set<string>();
  readonly errored: string[] = [];
  readonly diagnostics: Diagnostic[] = [];

  line(text: string): boolean {
    if (!text.startsWith('{')) return false;
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return false;
    }
    const addr: string | undefined = msg.hook?.resource?.addr;
    switch (msg.type) {
      case 'planned_change':
        if (msg.change?.action !== 'noop' && msg.change?.action !== 'read') this.planned++;
        return true;
      case 'apply_start':
        if (addr) this.inProgress.add(addr);
        return true;
      case 'apply_complete':
        if (addr) this.inProgress.delete(addr);
        this.completed++;
        return true;
      case 'apply_errored':
        if (addr) {
          this.inProgress.delete(addr);
          this.errored.push(addr);
        }
        return true;
      case 'diagnostic':
        this.diagnostics.push(...jsonDiagnostics(text, 'plan'));
        return true;
      default:
        return false;
    }
  }

  /** One progress line, e.g. `apply 41/130 done, 3 in progress (aws_db_instance.database_instance, ...)`. */
  describe(verb: string): string {
    const running = [...this.inProgress].sort();
    const shown = running.slice(0, 2).join(', ') + (running.length > 2 ? ', ...' : '');
    return `${verb} ${this.completed}/${this.planned} done${this.errored.length ? `, ${this.errored.length} failed` : ''}${running.length ? `, ${running.length} in progress (${shown})` : ''}`;
  }
}

/** First line of each error diagnostic, with the resource address terraform names in the detail if any. */
function errorTexts(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => (d.detail ? `${d.summary}: ${d.detail.split('\n').filter(Boolean).slice(0, 3).join(' ')}` : d.summary));
}

/** Anything but zero from terraform, with its stderr, as one message. */
export function failureText(step: string, r: RunResult): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-15).join('\n');
  return `terraform ${step} exited ${r.code}${text ? `:\n${text}` : ''}`;
}

/** `terraform init` (providers from the mirror only). Throws with terraform's output on failure. */
export async function terraformInit(ws: OfflineWorkspace, progress: Progress = () => undefined): Promise<void> {
  progress('terraform init');
  const r = await ws.run(['init', '-input=false', '-no-color']);
  if (r.code !== 0) throw new Error(failureText('init', r));
}

/**
 * `terraform apply -auto-approve -json` (or `destroy` with `destroy: true`), printing a progress
 * line every `intervalMs` while resources are being created. Never throws for a terraform failure:
 * the outcome says what failed.
 */
export async function terraformApply(
  ws: OfflineWorkspace,
  options: { progress?: Progress; destroy?: boolean; extraArgs?: readonly string[]; intervalMs?: number } = {},
): Promise<ApplyOutcome> {
  const verb = options.destroy ? 'destroy' : 'apply';
  const progress = options.progress ?? (() => undefined);
  const tracker = new ApplyTracker();
  const started = Date.now();
  progress(`terraform ${verb}`);
  let last = '';
  const timer = setInterval(() => {
    const now = tracker.planned === 0 ? `${verb}: planning` : tracker.describe(verb);
    if (now !== last) progress(now);
    last = now;
  }, options.intervalMs ?? 15000);
  let r: RunResult;
  try {
    r = await ws.run([verb, '-auto-approve', '-input=false', '-no-color', '-json', '-lock=false', ...(options.extraArgs ?? [])], (line) => tracker.line(line));
  } finally {
    clearInterval(timer);
  }
  const errors = errorTexts(tracker.diagnostics);
  if (r.code !== 0 && errors.length === 0) errors.push(failureText(verb, r));
  const outcome: ApplyOutcome = {
    ok: r.code === 0,
    code: r.code,
    planned: tracker.planned,
    completed: tracker.completed,
    errored: tracker.errored,
    errors,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  progress(`${tracker.describe(verb)} in ${outcome.seconds}s${outcome.ok ? '' : ` (exit ${r.code})`}`);
  return outcome;
}

/**
 * `terraform plan -out` then `show -json`: the plan document (plan-review's parser and types).
 * `destroy: true` plans a destroy. Throws with terraform's output when either fails.
 */
export async function terraformPlanJson(
  ws: OfflineWorkspace,
  options: { progress?: Progress; destroy?: boolean; refresh?: boolean; extraArgs?: readonly string[] } = {},
): Promise<PlanDocument> {
  const file = options.destroy ? 'destroy.tfplan' : 'rehearsal.tfplan';
  (options.progress ?? (() => undefined))(`terraform plan${options.destroy ? ' -destroy' : ''}`);
  const args = ['plan', '-input=false', '-no-color', '-lock=false', `-out=${file}`, ...(options.destroy ? ['-destroy'] : []), ...(options.refresh === false ? ['-refresh=false'] : []), ...(options.extraArgs ?? [])];
  const plan = await ws.run(args);
  if (plan.code !== 0) throw new Error(failureText('plan', plan));
  const show = await ws.run(['show', '-json', '-no-color', file]);
  if (show.code !== 0) throw new Error(failureText('show', show));
  return parsePlan(show.stdout, path.join(ws.dir, file));
}

/** `terraform show -json` of the current state (the `values` of the state document), or throws. */
export async function terraformStateJson(ws: OfflineWorkspace): Promise<Record<string, unknown>> {
  const r = await ws.run(['show', '-json', '-no-color']);
  if (r.code !== 0) throw new Error(failureText('show', r));
  return JSON.parse(r.stdout);
}
