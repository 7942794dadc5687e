/**
 * `npm run validate`: every synthesized stack checked by real Terraform, offline. For each stack a
 * temporary copy gets the offline override (local backend, fake credentials, skip_* settings,
 * random resources stubbed — each change reported), then `terraform init` and
 * `plan -refresh=false` from an empty state run (plan validates the configuration first, as
 * `terraform validate` does). Any error fails; so does any warning that is not
 * in {@link EXPECTED_WARNINGS}.
 */
import { Json, prepareOfflineWorkspace } from './offline';

/** Warnings that are a consequence of running offline, each with the reason it is harmless. */
export const EXPECTED_WARNINGS: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  {
    pattern: /^Incomplete lock file information for providers$/,
    reason: 'providers come from the filesystem mirror, so the lock file holds only this platform\'s checksums',
  },
];

/** Data sources that plan without AWS API access (computed locally by the provider). */
export const OFFLINE_DATA_SOURCES = ['aws_iam_policy_document', 'aws_partition'];

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly phase: 'init' | 'validate' | 'plan' | 'static';
}

export interface StackValidationResult {
  readonly stack: string;
  readonly ok: boolean;
  /** What the offline copy changed (backend, credentials, stubs). */
  readonly notes: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Warnings that were expected, with the reason. */
  readonly expectedWarnings: readonly string[];
  /** `terraform plan` change summary from an empty state. */
  readonly planned?: { readonly add: number; readonly change: number; readonly remove: number };
}

/** Warning summaries from terraform's human output (init has no JSON diagnostics). */
export function humanWarnings(output: string): string[] {
  const out: string[] = [];
  for (const m of output.matchAll(/^(?:│\s*)?Warning: (.+)$/gm)) out.push(m[1].trim());
  return out;
}

/** Diagnostics from `terraform validate -json` or the JSON lines of `terraform plan -json`. */
export function jsonDiagnostics(output: string, phase: Diagnostic['phase']): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const take = (d: Json) => {
    if (d && (d.severity === 'error' || d.severity === 'warning')) diagnostics.push({ severity: d.severity, summary: String(d.summary), detail: d.detail, phase });
  };
  const trimmed = output.trim();
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    const doc = JSON.parse(trimmed);
    (doc.diagnostics ?? []).forEach(take);
    if (doc.type === 'diagnostic') take(doc.diagnostic);
    return diagnostics;
  }
  for (const line of trimmed.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.type === 'diagnostic') take(msg.diagnostic);
  }
  return diagnostics;
}

function planSummary(output: string): StackValidationResult['planned'] {
  for (const line of output.trim().split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.type === 'change_summary') return { add: msg.changes.add, change: msg.changes.change, remove: msg.changes.remove };
  }
  return undefined;
}

/** Data sources a plan would have to read from AWS. */
export function apiBackedDataSources(stackJson: Json): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(stackJson.data ?? {})) {
    if (OFFLINE_DATA_SOURCES.includes(type)) continue;
    for (const name of Object.keys(byName as object)) out.push(`data.${type}.${name}`);
  }
  return out;
}

export async function validateStack(
  stack: string,
  stackJson: Json,
  progress: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StackValidationResult> {
  const diagnostics: Diagnostic[] = [];
  const expected: string[] = [];
  for (const address of apiBackedDataSources(stackJson)) {
    diagnostics.push({ severity: 'error', phase: 'static', summary: `${address} needs AWS API access to plan; take the value from config instead` });
  }
  const ws = prepareOfflineWorkspace({ stackJson, env });
  const classifyWarnings = (list: Diagnostic[]) => {
    for (const d of list) {
      const known = d.severity === 'warning' ? EXPECTED_WARNINGS.find((w) => w.pattern.test(d.summary)) : undefined;
      if (known) expected.push(`${d.phase}: ${d.summary} (${known.reason})`);
      else diagnostics.push(d);
    }
  };
  let planned: StackValidationResult['planned'];
  try {
    ws.notes.forEach((n) => progress(`  ${n}`));
    progress('  terraform init');
    const init = await ws.run(['init', '-input=false', '-no-color']);
    classifyWarnings(humanWarnings(init.stdout + init.stderr).map((summary) => ({ severity: 'warning', summary, phase: 'init' })));
    if (init.code !== 0) {
      diagnostics.push({ severity: 'error', phase: 'init', summary: `terraform init exited ${init.code}`, detail: (init.stderr || init.stdout).trim() });
    } else {
      // No separate `terraform validate`: plan runs the same validation walk first (its local
      // backend's "running validation operation", walkValidate) and reports its diagnostics in its
      // JSON; a second terraform process would load the provider schema again (~4 s of CPU a stack).
      progress('  terraform plan -refresh=false (empty state), which validates first');
      const plan = await ws.run(['plan', '-refresh=false', '-input=false', '-no-color', '-json', '-lock=false']);
      classifyWarnings(jsonDiagnostics(plan.stdout, 'plan'));
      planned = planSummary(plan.stdout);
      if (plan.code !== 0 && !diagnostics.some((d) => d.severity === 'error')) {
        diagnostics.push({ severity: 'error', phase: 'plan', summary: `terraform plan exited ${plan.code}`, detail: plan.stderr.trim() });
      }
    }
  } finally {
    ws.cleanup();
  }
  return { stack, ok: diagnostics.length === 0, notes: ws.notes, diagnostics, expectedWarnings: expected, planned };
}
