/**
 * The review of one plan: what changes (grouped by action), what drifted (classified), which
 * outputs change, which IAM/security-group changes broaden access, and which destroys/replacements
 * of stateful resources are blocked. One pass over `resource_changes` and `resource_drift`; values
 * are only copied where they are displayed.
 */
import { shellQuote } from '../terraform-json/address';
import { isStatefulType } from '../terraform-json/stateful';
import { classifyDrift, DriftReview, DriftSecurityFinding, driftSecurityFindings } from './drift';
import { addressOf, byAddress, CHANGE_KINDS, ChangeKind, kindOfActions } from './actions';
import { compareFindings, SecurityFinding, securityFinding } from './security';
import { ConfigModule, JsonValue, Mask, PlanDocument, PlanResourceChange, StateModule, StateValues } from '../terraform-json/plan-types';
import { AttributeChange, Redactor, SENSITIVE } from './values';
import { EXIT as CODES } from '../errors';

export interface ResourceReview {
  readonly address: string;
  readonly previousAddress?: string;
  readonly moduleAddress?: string;
  readonly type: string;
  readonly mode: string;
  /** Bucket: the action, or `import`/`move` for imports and moves that change nothing else. */
  readonly kind: ChangeKind;
  readonly actions: readonly string[];
  readonly actionReason?: string;
  /** Deposed object key: the change is to an old object left behind by create_before_destroy. */
  readonly deposed?: string;
  readonly importId?: string;
  readonly imported: boolean;
  readonly replacePaths: readonly string[];
  readonly stateful: boolean;
  /** Attribute-level diff (updates and replacements only). */
  readonly attributes: readonly AttributeChange[];
}

export interface OutputReview {
  readonly name: string;
  readonly action: 'create' | 'update' | 'delete' | 'no-op';
  readonly before?: string;
  readonly after?: string;
}

/** An address whose stateful destroy/replace is allowed, and who allowed it (shown to reviewers). */
export interface AllowDestroy {
  readonly address: string;
  /** Where the permission came from, e.g. `--allow-destroy` or `--allow-destroy-file f line 3`. Default `--allow-destroy`. */
  readonly origin?: string;
  /** Why (the allow-list line's `# reason`). */
  readonly reason?: string;
}

/** A destroy/replace of a stateful resource that the guard let through. */
export interface AllowedChange {
  readonly address: string;
  readonly type: string;
  readonly kind: 'delete' | 'replace';
  /** Deposed object key: the change is to an old object left behind by create_before_destroy. */
  readonly deposed?: string;
  readonly origin: string;
  readonly reason?: string;
}

export interface BlockedChange {
  readonly address: string;
  readonly type: string;
  readonly kind: 'delete' | 'replace';
  readonly message: string;
}

export interface Summary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly read: number;
  readonly forget: number;
  readonly noop: number;
  readonly import: number;
  readonly move: number;
  readonly outputs: number;
  readonly drift: number;
  readonly driftUpdate: number;
  readonly driftDelete: number;
  readonly driftNoise: number;
}

/** Terraform's own `Plan:` line for the same plan (replacements count as an add and, unless the old object is forgotten, a destroy). */
export interface TerraformCount {
  readonly import: number;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

export type ReviewStatus = 'no-changes' | 'changes' | 'blocked' | 'errored';

export interface PlanReview {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  /** Terraform reported errors while planning: the plan is incomplete and cannot be applied. */
  readonly errored: boolean;
  readonly refreshOnly: boolean;
  readonly summary: Summary;
  readonly terraformCount: TerraformCount;
  readonly resources: readonly ResourceReview[];
  readonly drift: readonly DriftReview[];
  readonly outputs: readonly OutputReview[];
  readonly security: readonly SecurityFinding[];
  /** IAM and security-group changes made outside Terraform (drift), broadening first; rendered before {@link security}. */
  readonly driftSecurity: readonly DriftSecurityFinding[];
  readonly blocked: readonly BlockedChange[];
  /** Stateful destroys/replacements let through by an allow entry, with its origin and reason. */
  readonly allowed: readonly AllowedChange[];
  readonly warnings: readonly string[];
  readonly status: ReviewStatus;
  readonly exitCode: number;
}

export interface ReviewOptions {
  /** Addresses whose destroy/replace is allowed although the type is stateful (`--allow-destroy`, `--allow-destroy-file`); the first entry for an address wins. */
  readonly allowDestroy?: readonly (string | AllowDestroy)[];
  /** Resource types to protect in addition to STATEFUL_RESOURCE_TYPES (`--protect-type`). */
  readonly protectTypes?: readonly string[];
  /** The plan is `terraform plan -refresh-only`: drift is the change (exit 2 when there is real drift). */
  readonly refreshOnly?: boolean;
}

/** Exit codes, like `terraform plan -detailed-exitcode` plus one for the guard. */
export const EXIT = { noChanges: CODES.ok, error: CODES.failed, changes: CODES.changes, blocked: CODES.refused } as const;

function walkState(module: StateModule | undefined, redactor: Redactor): void {
  if (!module) return;
  for (const r of module.resources ?? []) if (r.sensitive_values) redactor.collect(r.values, r.sensitive_values);
  for (const child of module.child_modules ?? []) walkState(child, redactor);
}

function collectOutputs(values: StateValues | undefined, redactor: Redactor): void {
  for (const o of Object.values(values?.outputs ?? {})) if (o.sensitive) redactor.addAll(o.value);
}

function sensitiveOutputNames(module: ConfigModule | undefined): Set<string> {
  return new Set(Object.entries(module?.outputs ?? {}).filter(([, o]) => o.sensitive).map(([name]) => name));
}

/** Learns the values a `resource_changes` or `resource_drift` entry marks sensitive (its masks). */
export function collectChangeSecrets(redactor: Redactor, rc: PlanResourceChange): void {
  const c = rc.change;
  if (c.before_sensitive) redactor.collect(c.before, c.before_sensitive);
  if (c.after_sensitive) redactor.collect(c.after, c.after_sensitive);
}

/**
 * Learns every value the plan marks sensitive outside `resource_changes` and `resource_drift`: prior
 * state and planned values (`sensitive_values`), outputs, and variables declared sensitive.
 */
export function collectDocumentSecrets(redactor: Redactor, plan: PlanDocument): void {
  walkState(plan.prior_state?.values?.root_module, redactor);
  walkState(plan.planned_values?.root_module, redactor);
  collectOutputs(plan.prior_state?.values, redactor);
  collectOutputs(plan.planned_values, redactor);
  const sensitiveOutputs = sensitiveOutputNames(plan.configuration?.root_module);
  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    if (sensitiveOutputs.has(name)) {
      redactor.addAll(oc.before);
      redactor.addAll(oc.after);
      continue;
    }
    if (oc.before_sensitive) redactor.collect(oc.before, oc.before_sensitive);
    if (oc.after_sensitive) redactor.collect(oc.after, oc.after_sensitive);
  }
  const sensitiveVariables = Object.entries(plan.configuration?.root_module?.variables ?? {}).filter(([, v]) => v.sensitive);
  for (const [name] of sensitiveVariables) redactor.addAll(plan.variables?.[name]?.value);
}

/**
 * Learns every value the plan marks sensitive, wherever it is: resource changes and drift (masks),
 * prior state and planned values (`sensitive_values`), outputs, and variables declared sensitive.
 */
export function sensitiveValues(plan: PlanDocument): Redactor {
  const redactor = new Redactor();
  for (const list of [plan.resource_changes, plan.resource_drift]) for (const rc of list ?? []) collectChangeSecrets(redactor, rc);
  collectDocumentSecrets(redactor, plan);
  return redactor;
}

function outputAction(actions: readonly string[]): OutputReview['action'] {
  const key = actions.join(',');
  if (key === 'create' || key === 'update' || key === 'delete' || key === 'no-op') return key;
  return 'update';
}

function countBy<T>(items: readonly T[], pred: (t: T) => boolean): number {
  let n = 0;
  for (const t of items) if (pred(t)) n += 1;
  return n;
}

/**
 * The stateful-resource guard: destroys and replacements of stateful resources are blocked unless
 * allowed (`--allow-destroy`, `--allow-destroy-file`); create-then-forget is warned about.
 */
class Guard {
  readonly blocked: BlockedChange[] = [];
  readonly allowed: AllowedChange[] = [];
  private readonly allow = new Map<string, AllowDestroy>();
  private readonly used = new Set<string>();

  constructor(entries: readonly (string | AllowDestroy)[], private readonly warnings: string[]) {
    for (const entry of entries) {
      const a = typeof entry === 'string' ? { address: entry } : entry;
      if (!this.allow.has(a.address)) this.allow.set(a.address, a);
    }
  }

  check(address: string, rc: PlanResourceChange, action: 'delete' | 'replace'): void {
    if (action === 'replace' && !rc.change.actions.includes('delete')) {
      // ["create", "forget"] (lifecycle destroy = false): the old object stays, unmanaged.
      this.warnings.push(
        `${address} replaces a stateful ${rc.type} with a new, EMPTY object; the old one is not destroyed but forgotten (it keeps its data, no longer managed by Terraform). Point users at the new one only after moving the data.`,
      );
      return;
    }
    const permit = this.allow.get(address);
    if (permit) {
      this.used.add(address);
      this.allowed.push({ address, type: rc.type, kind: action, deposed: rc.deposed, origin: permit.origin ?? '--allow-destroy', reason: permit.reason });
      return;
    }
    const verb = action === 'delete' ? 'destroys' : 'replaces (destroys and re-creates)';
    const why = rc.action_reason ? ` (${rc.action_reason})` : '';
    this.blocked.push({
      address,
      type: rc.type,
      kind: action,
      message: `${address}${rc.deposed ? ` (deposed object ${rc.deposed})` : ''} ${verb} a stateful ${rc.type}${why}; its data is lost. Pass --allow-destroy ${shellQuote(address)} (or list it in an --allow-destroy-file) if that is intended.`,
    });
  }

  /** Warns about allow entries that matched nothing (typos, or stale after an apply); sorts the lists. */
  finish(): void {
    for (const a of [...this.allow.values()].sort(byAddress)) {
      if (this.used.has(a.address)) continue;
      const origin = a.origin === undefined ? `--allow-destroy '${a.address}'` : `${a.origin}: '${a.address}'`;
      this.warnings.push(`${origin} matches no destroy or replacement of a stateful resource in this plan (typo, or stale after an apply?)`);
    }
    this.blocked.sort(byAddress);
    this.allowed.sort(byAddress);
  }
}

/**
 * A review built one `resource_changes` entry at a time ({@link change}, in plan order), then
 * completed from the rest of the plan ({@link finish}): a streamed plan never holds its resource
 * changes together. `redactor` must know every sensitive value of the plan by the time each entry
 * is folded (see src/plan-review/stream.ts for how a stream makes sure of it).
 */
export class ReviewBuilder {
  private readonly protectTypes: readonly string[];
  private readonly scrub: (t: string) => string;
  private readonly resources: ResourceReview[] = [];
  private readonly security: SecurityFinding[] = [];
  private readonly warnings: string[] = [];
  private readonly guard: Guard;
  private readonly counts = { create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0, noop: 0, import: 0, move: 0 };
  private readonly tf = { import: 0, add: 0, change: 0, destroy: 0 };
  /** Resources whose object or address changes (each once, however many ways: imported, moved and updated is one). */
  private changedResources = 0;

  constructor(
    private readonly redactor: Redactor,
    private readonly options: ReviewOptions = {},
  ) {
    this.protectTypes = options.protectTypes ?? [];
    this.scrub = (t: string) => redactor.scrub(t);
    this.guard = new Guard(options.allowDestroy ?? [], this.warnings);
  }

  /** Folds `resource_changes[i]` into the review (keeping only what the review shows of it). */
  change(rc: PlanResourceChange, i: number): void {
    const { redactor, scrub, protectTypes, counts, tf, resources, security, guard } = this;
    const c = rc.change;
    const action = kindOfActions(c.actions, `resource_changes[${i}] (${rc.address ?? `${rc.type}.${rc.name}`})`);
    if (action === 'open') return; // ephemeral resources: opened during the run, never stored
    // Data sources "deleted" (no longer in the configuration) only leave the state; Terraform does not show them.
    if (action === 'delete' && (rc.mode ?? 'managed') !== 'managed') return;
    const { address } = addressOf(rc);
    const moved = rc.previous_address !== undefined && rc.previous_address !== address;
    const imported = c.importing !== undefined && c.importing !== null;
    counts[action === 'no-op' ? 'noop' : action] += 1;
    if (imported) {
      counts.import += 1;
      tf.import += 1;
    }
    if (action === 'create' || action === 'replace') tf.add += 1;
    if (action === 'update') tf.change += 1;
    if (action === 'delete' || (action === 'replace' && c.actions.includes('delete'))) tf.destroy += 1;
    if (moved) counts.move += 1;
    if ((action !== 'no-op' && action !== 'read') || imported || moved) this.changedResources += 1;
    const kind: ChangeKind = action === 'no-op' && imported ? 'import' : action === 'no-op' && moved ? 'move' : action;
    const mode = rc.mode ?? 'managed';
    const stateful = mode === 'managed' && isStatefulType(rc.type, protectTypes);
    const replacePaths = c.replace_paths ?? [];
    const attributes =
      action === 'update' || action === 'replace'
        ? redactor.diff(c.before, c.after, { beforeSensitive: c.before_sensitive, afterSensitive: c.after_sensitive, afterUnknown: c.after_unknown }, replacePaths)
        : [];
    // Plain no-ops are counted, not listed: only a reason (e.g. delete_because_no_resource_config) makes one worth reading.
    if (kind === 'no-op' && !rc.action_reason) return;
    resources.push({
      address,
      previousAddress: moved ? rc.previous_address : undefined,
      moduleAddress: rc.module_address,
      type: rc.type,
      mode,
      kind,
      actions: c.actions,
      actionReason: rc.action_reason,
      deposed: rc.deposed,
      importId: imported && typeof c.importing?.id === 'string' ? scrub(c.importing.id) : undefined,
      imported,
      replacePaths: replacePaths.map((p) => p.map((x) => (typeof x === 'number' ? `[${x}]` : x)).join('.').replace(/\.\[/g, '[')),
      stateful,
      attributes,
    });
    if (stateful && (action === 'delete' || action === 'replace')) guard.check(address, rc, action);
    // A forgotten object stays in the account as it is: its permissions neither grow nor shrink.
    if (mode === 'managed' && action !== 'no-op' && action !== 'read' && action !== 'forget') {
      const finding = securityFinding({
        address,
        type: rc.type,
        before: c.before,
        after: c.after,
        beforeSensitive: c.before_sensitive,
        afterSensitive: c.after_sensitive,
        afterUnknown: c.after_unknown,
        sensitive: scrub,
      });
      if (finding) security.push(finding);
    }
  }

  /** Completes the review from the rest of the plan (drift, outputs, status); `plan.resource_changes` is read only by drift. */
  finish(plan: PlanDocument): PlanReview {
    const { redactor, scrub, protectTypes, resources, security, warnings, guard, counts, tf, options } = this;
    guard.finish();

    const drift = classifyDrift(plan, resources, redactor, { protectTypes, refreshOnly: options.refreshOnly === true }, warnings);
    const driftSecurity = driftSecurityFindings(plan, drift, scrub);

    const sensitiveOutputs = sensitiveOutputNames(plan.configuration?.root_module);
    const outputs: OutputReview[] = [];
    for (const name of Object.keys(plan.output_changes ?? {}).sort()) {
      const oc = plan.output_changes![name];
      const action = outputAction(oc.actions);
      if (action === 'no-op') continue;
      const forced = sensitiveOutputs.has(name) || plan.planned_values?.outputs?.[name]?.sensitive === true;
      const show = (v: JsonValue | undefined, s: Mask | undefined, u: Mask | undefined) => (forced ? SENSITIVE : redactor.display(v, s, u));
      outputs.push({
        name,
        action,
        before: action === 'create' ? undefined : show(oc.before, oc.before_sensitive, undefined),
        after: action === 'delete' ? undefined : show(oc.after, oc.after_sensitive, oc.after_unknown),
      });
    }

    resources.sort((a, b) => CHANGE_KINDS.indexOf(a.kind) - CHANGE_KINDS.indexOf(b.kind) || byAddress(a, b));
    security.sort(compareFindings);
    const { blocked, allowed } = guard;

    const errored = plan.errored === true;
    if (errored) warnings.unshift('Terraform reported errors while planning (errored: true): this plan is incomplete and cannot be applied; the changes below are partial.');
    const summary: Summary = {
      ...counts,
      outputs: outputs.length,
      drift: drift.length,
      driftUpdate: countBy(drift, (d) => d.action !== 'delete'),
      driftDelete: countBy(drift, (d) => d.action === 'delete'),
      driftNoise: countBy(drift, (d) => d.classification === 'noise'),
    };
    const resourceChanges = this.changedResources;
    const planned = resourceChanges + summary.read + summary.outputs > 0;
    // A refresh-only plan (`drift`) changes nothing but state: only real drift is a change there. A
    // plan with resource changes is not refresh-only, whatever the flag says: its changes still count.
    if (options.refreshOnly === true && resourceChanges > 0) {
      warnings.push(
        `Reviewed as refresh-only, but this plan changes ${resourceChanges} resource(s): it is not a \`terraform plan -refresh-only\` plan (those change none). Review it without --refresh-only.`,
      );
    }
    const hasChanges = options.refreshOnly === true ? summary.drift - summary.driftNoise > 0 || resourceChanges > 0 : planned;
    const status: ReviewStatus = errored ? 'errored' : blocked.length > 0 ? 'blocked' : hasChanges ? 'changes' : 'no-changes';
    const exitCode = { errored: EXIT.error, blocked: EXIT.blocked, changes: EXIT.changes, 'no-changes': EXIT.noChanges }[status];
    return {
      formatVersion: plan.format_version,
      terraformVersion: plan.terraform_version,
      errored,
      refreshOnly: options.refreshOnly === true,
      summary,
      terraformCount: tf,
      resources,
      drift,
      outputs,
      security,
      driftSecurity,
      blocked,
      allowed,
      warnings,
      status,
      exitCode,
    };
  }
}

/** Builds the review. Throws {@link PlanInputError} for plans it cannot summarize correctly. */
export function reviewPlan(plan: PlanDocument, options: ReviewOptions = {}): PlanReview {
  const builder = new ReviewBuilder(sensitiveValues(plan), options);
  (plan.resource_changes ?? []).forEach((rc, i) => builder.change(rc, i));
  return builder.finish(plan);
}
