/**
 * The replacement-risk table confirmed by the real thing: `terraform plan -refresh=false -json` of
 * the stack against the simulated (migrated) state, in an offline workspace (src/terraform). Its
 * machine-readable UI names every instance terraform would change (`planned_change`) and counts them
 * (`change_summary`); only when one of them is not a creation is `terraform show -json` of the saved
 * plan read for the details (`replace_paths`, changed attributes). At 10,000 instances that show
 * costs ~6 s of CPU and reads nothing a creation-only plan needs. Every resource change is
 * classified; a delete or replace of a migrated instance is a BLOCKER unless allow-listed
 * (REPLACEMENT_ALLOW_LIST in replacement.ts).
 */
import { parsePlan } from '../terraform-json/plan-input';
import { JsonValue } from '../terraform-json/plan-types';
import { CountSplitOptions, jsonDiagnostics, prepareOfflineWorkspace, stubValueFor } from '../terraform';
import { MovePlan } from './planner';
import { allowedReplacement } from './replacement';
import { managedByAddress, TerraformState } from '../terraform-json/state';
import { StackJson } from './stack';
import { InfraError } from '../errors';

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** Attribute paths that force replacement, as `terraform show -json` reports them. */
  readonly replacePaths: readonly string[];
  readonly actionReason?: string;
  /** The legacy address the instance was migrated from (undefined for creations). */
  readonly migratedFrom?: string;
  /** Top-level attributes whose value changes (updates). */
  readonly changedAttributes: readonly string[];
}

export interface ConfirmResult {
  readonly changes: readonly PlannedChange[];
  /** Deletes/replaces of migrated instances: BLOCKER, or WARNING when allow-listed (REPLACEMENT_ALLOW_LIST). */
  readonly problems: readonly { severity: 'BLOCKER' | 'WARNING'; message: string }[];
  readonly notes: readonly string[];
}

/** A plan value as an object of attributes (resource values are objects; anything else: none). */
function asObject(value: JsonValue | undefined): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** Top-level attributes whose value changes (tags_all too); values only known after apply count as changes. */
function changed(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined, unknown: Record<string, unknown> = {}): string[] {
  if (!before || !after) return [];
  const known = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const later = Object.keys(unknown).filter((k) => unknown[k] === true && before[k] !== undefined && before[k] !== null);
  // tags_all included: a tags_all-only update is a real in-place update (default tags) and must show.
  return [...new Set([...known, ...later])].sort();
}

export class TerraformRunError extends InfraError {}

type Substitution = readonly [stub: string, real: string];

function substitute(value: unknown, subs: readonly Substitution[]): unknown {
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value) as unknown;
      if (typeof parsed === 'object' && parsed !== null) return { json: substitute(parsed, subs) };
    } catch {
      // not JSON: plain string
    }
    return subs.reduce((v, [stub, real]) => v.split(stub).join(real), value);
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, subs));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, subs)]));
  return value;
}

/**
 * The offline workspace stands in for random_* resources with fixed stub values, so every attribute
 * built from a random result (the DB password, the secret's JSON) differs from the state in the plan.
 * An attribute is only a real change when it still differs with the stub replaced by the state's value.
 */
function equalModuloStubs(before: unknown, after: unknown, subs: readonly Substitution[]): boolean {
  if (subs.length === 0) return false;
  return JSON.stringify(substitute(before, [])) === JSON.stringify(substitute(after, subs));
}

/** The error diagnostics of a failed `terraform plan -json` (summary and detail), else its raw output. */
function planFailure(stdout: string, stderr: string): string {
  let errors: string[] = [];
  try {
    errors = jsonDiagnostics(stdout, 'plan')
      .filter((d) => d.severity === 'error')
      .map((d) => `Error: ${d.summary}${d.detail ? `\n${d.detail}` : ''}`);
  } catch {
    // not JSON lines (e.g. a usage error): the raw output below
  }
  return [...errors, stderr.trim()].filter((t) => t).join('\n\n') || stdout;
}

/**
 * The managed addresses `terraform plan -json` plans to create, when that is ALL it plans: every
 * `planned_change` is a creation (or a data source read) and the `change_summary` agrees (as many
 * additions, no change, no removal, every other count 0). Anything else (an update, replace, delete, forget, move,
 * import, a missing or disagreeing summary, an action this code does not know): undefined, and the
 * caller reads the whole plan with `terraform show -json`.
 */
export function onlyCreations(jsonLines: string): string[] | undefined {
  const created: string[] = [];
  let summary: Record<string, unknown> | undefined;
  for (const line of jsonLines.split('\n')) {
    if (!line.startsWith('{')) continue;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (msg.type === 'change_summary') summary = msg.changes ?? {};
    if (msg.type !== 'planned_change') continue;
    const resource = msg.change?.resource ?? {};
    const data = typeof resource.resource === 'string' && resource.resource.startsWith('data.');
    if (typeof resource.addr !== 'string' || msg.change.previous_resource || msg.change.importing) return undefined;
    if (data && msg.change.action === 'read') continue;
    if (data || msg.change.action !== 'create') return undefined;
    created.push(resource.addr);
  }
  // Every count but the additions is 0 (change, remove, import, and any count a later terraform adds).
  const othersZero = summary !== undefined && Object.entries(summary).every(([k, v]) => k === 'add' || typeof v !== 'number' || v === 0);
  if (!summary || summary.add !== created.length || summary.change !== 0 || summary.remove !== 0 || !othersZero) return undefined;
  return created;
}

export interface ConfirmOptions {
  /**
   * Large count blocks are planned as an equivalent configuration of smaller blocks, addresses
   * reported as the stack's (src/terraform/count-split.ts); `false` plans them as they are.
   * @default {} (blocks above 200 instances, parts of 100)
   */
  readonly splitCounts?: CountSplitOptions | false;
  /**
   * Run the mirror's AWS provider without `terraform init` where nothing else is needed
   * (src/terraform/direct-provider.ts); `false` always runs init. @default true
   */
  readonly runProviderDirectly?: boolean;
}

/** Runs init (unless the provider runs directly) + plan (+ show when the plan is more than creations) in an offline workspace. Throws TerraformUnavailableError when terraform/mirror are missing. */
export async function confirmWithTerraform(
  plan: MovePlan,
  stack: StackJson,
  migratedState: TerraformState,
  progress: (l: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
  options: ConfirmOptions = {},
): Promise<ConfirmResult> {
  const ws = prepareOfflineWorkspace({ stackJson: stack, state: migratedState, env, splitCounts: options.splitCounts ?? {}, runProviderDirectly: options.runProviderDirectly ?? true });
  try {
    ws.notes.forEach((n) => progress(`offline workspace: ${n}`));
    if (ws.needsInit) {
      progress('terraform init (providers from the filesystem mirror) ...');
      const init = await ws.run(['init', '-input=false', '-no-color']);
      if (init.code !== 0) throw new TerraformRunError(`terraform init failed:\n${init.stderr || init.stdout}`);
    }
    progress('terraform plan -refresh=false ...');
    const planRun = await ws.run(['plan', '-refresh=false', '-input=false', '-no-color', '-json', '-lock=false', '-out=migrate.tfplan']);
    if (planRun.code !== 0) throw new TerraformRunError(`terraform plan failed:\n${ws.realText(planFailure(planRun.stdout, planRun.stderr))}`);
    const targetToSource = new Map(plan.entries.filter((e) => e.target).map((e) => [e.target!, e.source]));
    const creations = onlyCreations(planRun.stdout);
    if (creations) {
      progress(`terraform plans ${creations.length} creation(s) and no update, replace or delete: terraform show -json is not needed`);
      const changes = creations
        .map((rc): PlannedChange => {
          const address = ws.realAddress(rc);
          return { address, type: address.split('.').slice(-2)[0], actions: ['create'], replacePaths: [], migratedFrom: targetToSource.get(address), changedAttributes: [] };
        })
        .sort((a, b) => a.address.localeCompare(b.address));
      return { changes, problems: [], notes: [...ws.notes] };
    }
    progress('terraform show -json (the plan has updates, replacements or deletions to examine) ...');
    const show = await ws.run(['show', '-json', 'migrate.tfplan']);
    if (show.code !== 0) throw new TerraformRunError(`terraform show failed:\n${ws.realText(show.stderr)}`);
    const json = parsePlan(show.stdout, 'terraform show -json migrate.tfplan');
    const notes: string[] = [];
    const migrated = managedByAddress(migratedState);
    const subs: Substitution[] = Object.keys(ws.stubbed)
      .map((real) => [stubValueFor(real), migrated.get(real)?.attributes.result] as const)
      .filter((s): s is Substitution => typeof s[1] === 'string');
    const changes: PlannedChange[] = [];
    const problems: { severity: 'BLOCKER' | 'WARNING'; message: string }[] = [];
    for (const rc of json.resource_changes ?? []) {
      if (rc.mode !== 'managed' || !rc.address) continue;
      const address = ws.realAddress(rc.address);
      const type = address.split('.').slice(-2)[0];
      const before = asObject(rc.change.before) ?? {};
      const after = asObject(rc.change.after) ?? {};
      const artefact = (attr: string) => rc.change.before != null && rc.change.after != null && equalModuloStubs(before[attr], after[attr], subs);
      const changedAttributes = changed(asObject(rc.change.before), asObject(rc.change.after), asObject(rc.change.after_unknown)).filter((a) => !artefact(a));
      const rawReplace = (rc.change.replace_paths ?? []).map((p) => p.join('.')).sort();
      const replacePaths = rawReplace.filter((p) => !artefact(p.split('.')[0]));
      let actions: readonly string[] = rc.change.actions;
      if (rawReplace.length > 0 && replacePaths.length === 0 && actions.includes('delete') && actions.includes('create')) {
        // Values that were only unknown because of the (artefact) replacement are not changes.
        const knownChanges = changed(asObject(rc.change.before), asObject(rc.change.after)).filter((a) => !artefact(a));
        changedAttributes.splice(0, changedAttributes.length, ...knownChanges);
        actions = changedAttributes.length > 0 ? ['update'] : ['no-op'];
        notes.push(`${address}: the replacement is an artefact of the stubbed random value (${rawReplace.join(', ')} equal the state's once the stub is substituted)`);
      } else if (actions.length === 1 && actions[0] === 'update' && changedAttributes.length === 0 && rc.change.before != null) {
        actions = ['no-op'];
        notes.push(`${address}: the update is an artefact of the stubbed random value`);
      }
      if (actions.length === 1 && actions[0] === 'no-op') continue;
      const migratedFrom = targetToSource.get(address);
      const change: PlannedChange = { address, type, actions, replacePaths, actionReason: rc.action_reason, migratedFrom, changedAttributes };
      changes.push(change);
      if (migratedFrom && actions.includes('delete')) {
        // Any replace or destroy of a moved resource blocks, unless it is a reviewed allowance.
        const replace = actions.includes('create');
        const what = replace ? `replace (${replacePaths.join(', ') || rc.action_reason || 'no reason given'})` : 'destroy';
        const allowed = replace ? allowedReplacement(type, replacePaths) : undefined;
        problems.push({
          severity: allowed ? 'WARNING' : 'BLOCKER',
          message: `terraform plans to ${what} ${address} (migrated from ${migratedFrom})${allowed ? ` [allowed: ${allowed.reason}]` : ''}`,
        });
      }
    }
    changes.sort((a, b) => a.address.localeCompare(b.address));
    return { changes, problems, notes: [...ws.notes, ...notes] };
  } finally {
    ws.cleanup();
  }
}
