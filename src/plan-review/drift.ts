/**
 * Drift (`resource_drift`: objects changed outside Terraform, found by refresh) is useful only when
 * it is not noise. Each entry gets one classification, checked in this order:
 *
 * - `deleted`:  the object is gone; a planned create (for a refresh-only plan: the next plan) brings
 *               back an empty one; stateful types get a loud warning either way;
 * - `noise`:    nothing meaningful changed (`before == after`, or only null <-> {} / [] / ""), including
 *               Terraform 0.15.4-1.0.x's address-less entries for unchanged resources;
 * - `reverted`: this plan puts every drifted attribute back to its previous value;
 * - `relevant`: a drifted attribute is one the planned changes depend on (Terraform's
 *               `relevant_attributes`; without them, formats < 1.1, any planned change to the resource);
 * - `absorbed`: nothing in the plan depends on it; applying records it in state.
 *
 * `reverted`, `relevant` and `absorbed` are decided on the meaningful attributes only: empty-value
 * churn next to a real change (`tags: null -> {}`, which providers normalise either way) never
 * makes a reverted drift look absorbed.
 *
 * Drift is also run through the IAM/security-group analysis changes get ({@link driftSecurityFindings}):
 * a rule opened to the internet outside Terraform is a finding, whatever its classification.
 */
import { addressOf, byAddress, kindOfActions } from './actions';
import type { ResourceReview } from './review';
import { compareFindings, SecurityFinding, securityFinding } from './security';
import { isStatefulType } from '../terraform-json/stateful';
import { ConfigModule, ConfigResource, JsonValue, PlanDocument, PlanResourceChange } from '../terraform-json/plan-types';
import { AttributeChange, deepEqual, isEmptyish, PathPart, Redactor, valueAt } from './values';
import { isObject } from '../terraform-json/json';

export type DriftClass = 'deleted' | 'noise' | 'reverted' | 'relevant' | 'absorbed';

export interface DriftReview {
  readonly address: string;
  /** The plan lacked the address (Terraform 0.15.4-1.0.x) and it was rebuilt from type, name and module. */
  readonly addressReconstructed: boolean;
  readonly type: string;
  readonly action: 'update' | 'delete';
  readonly classification: DriftClass;
  readonly reason: string;
  readonly stateful: boolean;
  readonly attributes: readonly AttributeChange[];
}

function overlaps(a: readonly PathPart[], b: readonly PathPart[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
}

function isNoiseChange(entry: PlanResourceChange, attr: AttributeChange): boolean {
  const b = valueAt(entry.change.before, attr.parts);
  const a = valueAt(entry.change.after, attr.parts);
  return isEmptyish(b) && isEmptyish(a);
}

export interface DriftOptions {
  /** Resource types to protect in addition to STATEFUL_RESOURCE_TYPES. */
  readonly protectTypes: readonly string[];
  /** The plan is `terraform plan -refresh-only`: it plans no creates, applying it only updates state. */
  readonly refreshOnly: boolean;
}

/**
 * Plan JSON format 1.1 (Terraform 1.2) added `relevant_attributes` and leaves it out when it is
 * empty; only older formats lack the information.
 */
function knowsRelevantAttributes(plan: PlanDocument): boolean {
  if (plan.relevant_attributes !== undefined) return true;
  const m = /^(\d+)\.(\d+)$/.exec(plan.format_version);
  return m !== null && (Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 1));
}

/** What happens to an object deleted outside Terraform, by what this plan does at its address. */
function deletedReason(recreated: boolean, refreshOnly: boolean): string {
  if (recreated) return 'deleted outside Terraform; this plan creates it again';
  if (refreshOnly) return 'deleted outside Terraform; applying removes it from state, and the next plan creates it again';
  return 'deleted outside Terraform; applying removes it from state';
}

function deletedStatefulWarning(address: string, type: string, recreated: boolean, refreshOnly: boolean): string {
  const head = `STATEFUL RESOURCE DELETED OUTSIDE TERRAFORM: ${address} (${type}) no longer exists`;
  const restore = 'Restore it from a backup or snapshot and import it, or confirm the loss.';
  if (recreated) return `${head} and this plan creates it again EMPTY; its data is not restored. ${restore}`;
  if (refreshOnly) return `${head}; applying this refresh-only plan removes it from state, and the next plan creates it again EMPTY while the configuration still declares it. ${restore}`;
  return `${head}; its data is gone unless restored from a backup or snapshot. Applying removes it from state.`;
}

/** Classifies every `resource_drift` entry; pushes loud warnings for stateful objects deleted outside Terraform. */
export function classifyDrift(
  plan: PlanDocument,
  resources: readonly ResourceReview[],
  redactor: Redactor,
  options: DriftOptions,
  warnings: string[],
): DriftReview[] {
  const { protectTypes, refreshOnly } = options;
  const entries = plan.resource_drift ?? [];
  if (entries.length === 0) return [];
  const planned = new Map<string, ResourceReview>();
  const byPreviousAddress = new Map<string, ResourceReview>();
  for (const r of resources) {
    planned.set(r.address, r);
    if (r.previousAddress) byPreviousAddress.set(r.previousAddress, r);
  }
  const changeByAddress = new Map<string, PlanResourceChange>();
  for (const rc of plan.resource_changes ?? []) if (rc.address) changeByAddress.set(rc.address, rc);
  const relevant = new Map<string, (readonly PathPart[])[]>();
  for (const ra of plan.relevant_attributes ?? []) {
    const list = relevant.get(ra.resource);
    if (list) list.push(ra.attribute);
    else relevant.set(ra.resource, [ra.attribute]);
  }
  const haveRelevant = knowsRelevantAttributes(plan);

  const out: DriftReview[] = entries.map((entry, i) => {
    const { address, reconstructed } = addressOf(entry);
    const c = entry.change;
    const action = kindOfActions(c.actions, `resource_drift[${i}] (${address})`) === 'delete' ? 'delete' : 'update';
    const stateful = (entry.mode ?? 'managed') === 'managed' && isStatefulType(entry.type, protectTypes);
    const attributes = action === 'delete' ? [] : redactor.diff(c.before, c.after, { beforeSensitive: c.before_sensitive, afterSensitive: c.after_sensitive });
    // The planned change may have moved the resource: drift entries carry the old address then.
    const target = planned.get(address) ?? byPreviousAddress.get(address);
    const base = { address, addressReconstructed: reconstructed, type: entry.type, action, stateful, attributes } as const;

    if (action === 'delete') {
      const recreated = target !== undefined && (target.kind === 'create' || target.kind === 'replace');
      if (stateful) warnings.push(deletedStatefulWarning(address, entry.type, recreated, refreshOnly));
      return { ...base, classification: 'deleted', reason: deletedReason(recreated, refreshOnly) };
    }
    if (attributes.length === 0 || deepEqual(c.before, c.after)) {
      const reason = reconstructed
        ? 'before and after are identical (Terraform 0.15.4-1.0.x lists refreshed resources as drift without an address)'
        : 'before and after are identical after normalization';
      return { ...base, classification: 'noise', reason };
    }
    // Empty-value churn says nothing: what follows is decided on the meaningful attributes only.
    const meaningful = attributes.filter((a) => !isNoiseChange(entry, a));
    if (meaningful.length === 0) {
      return { ...base, classification: 'noise', reason: `only empty-value churn (${attributes.map((a) => `${a.path}: ${a.before ?? 'null'} -> ${a.after ?? 'null'}`).join(', ')})` };
    }
    const rc = target ? changeByAddress.get(target.address) : undefined;
    if (rc && target && (target.kind === 'update' || target.kind === 'replace')) {
      const undone = meaningful.every((a) => {
        if (valueAt(rc.change.after_unknown, a.parts) === true) return false;
        return deepEqual(valueAt(rc.change.after, a.parts), valueAt(c.before, a.parts));
      });
      if (undone) return { ...base, classification: 'reverted', reason: `this plan ${target.kind === 'replace' ? 'replaces the resource' : 'changes it back'}: ${meaningful.map((a) => a.path).join(', ')}` };
    }
    const paths = relevant.get(address) ?? (target?.previousAddress ? relevant.get(target.previousAddress) : undefined) ?? [];
    const isRelevant = haveRelevant
      ? meaningful.some((a) => paths.some((p) => overlaps(p, a.parts)))
      : target !== undefined && target.kind !== 'no-op' && target.kind !== 'read';
    if (isRelevant) {
      return {
        ...base,
        classification: 'relevant',
        reason: haveRelevant ? 'planned changes depend on these attributes (relevant_attributes)' : 'the resource also has planned changes (plan format < 1.1 has no relevant_attributes)',
      };
    }
    return { ...base, classification: 'absorbed', reason: 'no planned change depends on it; applying records it in state' };
  });
  return out.sort(byAddress);
}

/** An IAM or security-group change made outside Terraform, with what this plan does about it. */
export interface DriftSecurityFinding extends SecurityFinding {
  /** The drift entry's classification: `reverted` means this plan undoes it, `absorbed` that applying keeps it. */
  readonly classification: DriftClass;
}

/**
 * Attributes that mirror objects a separate resource manages (the provider reads them back on the
 * owner: a role lists the inline policies `aws_iam_role_policy` puts on it). When the configuration
 * has such a resource for the object, their drift is Terraform's own doing, not a change made
 * outside it: out-of-band edits of those objects show on the managing resource's own drift. `key`:
 * list items are matched one by one (an inline policy by name, an attachment by ARN), so an item
 * nobody manages (added by hand) is still analysed.
 */
const MIRRORED: readonly { readonly type: string; readonly attribute: string; readonly by: string; readonly ref: string; readonly key?: { readonly item: (v: unknown) => unknown; readonly managed: string } }[] = [
  { type: 'aws_iam_role', attribute: 'inline_policy', by: 'aws_iam_role_policy', ref: 'role', key: { item: (v) => (isObject(v) ? v.name : undefined), managed: 'name' } },
  { type: 'aws_iam_role', attribute: 'managed_policy_arns', by: 'aws_iam_role_policy_attachment', ref: 'role', key: { item: (v) => v, managed: 'policy_arn' } },
  { type: 'aws_s3_bucket', attribute: 'policy', by: 'aws_s3_bucket_policy', ref: 'bucket' },
  { type: 'aws_sns_topic', attribute: 'policy', by: 'aws_sns_topic_policy', ref: 'arn' },
];

/** Types of the resources {@link driftSecurityFindings} reads the planned values of (the managers of {@link MIRRORED} attributes). */
export const MIRROR_MANAGER_TYPES: ReadonlySet<string> = new Set(MIRRORED.map((m) => m.by));

/** Configured resources with their absolute addresses (root module and module calls). */
function configuredResources(module: ConfigModule | undefined, prefix = ''): { address: string; resource: ConfigResource }[] {
  if (!module) return [];
  const own = (module.resources ?? []).map((resource) => ({ address: `${prefix}${resource.address}`, resource }));
  const calls = Object.entries((module as { module_calls?: Record<string, { module?: ConfigModule }> }).module_calls ?? {});
  return [...own, ...calls.flatMap(([name, call]) => configuredResources(call.module, `${prefix}module.${name}.`))];
}

/** The address an entry's instance belongs to as configuration references name it (no instance key). */
function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}

/**
 * A copy of a drift entry's before/after without the mirrored parts (see {@link MIRRORED}); mirrored
 * list items become null in place, so the plan's sensitivity masks still line up.
 */
function withoutMirrors(plan: PlanDocument, entry: PlanResourceChange, address: string): { before: unknown; after: unknown } {
  let before: unknown = entry.change.before;
  let after: unknown = entry.change.after;
  const rules = MIRRORED.filter((m) => m.type === entry.type);
  if (rules.length === 0) return { before, after };
  const configured = configuredResources(plan.configuration?.root_module);
  const target = configAddress(address);
  for (const rule of rules) {
    const owners = configured.filter(({ resource }) => {
      if (resource.type !== rule.by || (resource.mode ?? 'managed') !== 'managed') return false;
      const ref = resource.expressions?.[rule.ref] as { references?: readonly string[] } | undefined;
      return (ref?.references ?? []).includes(target);
    });
    if (owners.length === 0) continue;
    let drop: (v: unknown) => boolean = () => true;
    if (rule.key) {
      const key = rule.key;
      const managed = new Set<unknown>();
      const ownerAddresses = new Set(owners.map((o) => o.address));
      for (const { resource } of owners) {
        const e = resource.expressions?.[key.managed] as { constant_value?: JsonValue } | undefined;
        if (e?.constant_value !== undefined) managed.add(e.constant_value);
      }
      // Names/ARNs given by expressions: as the plan knows their values.
      for (const rc of [...(plan.resource_changes ?? []), ...(plan.resource_drift ?? [])]) {
        if (!rc.address || !ownerAddresses.has(configAddress(rc.address))) continue;
        for (const v of [rc.change.before, rc.change.after]) if (isObject(v) && v[key.managed] !== undefined) managed.add(v[key.managed]);
      }
      drop = (v) => managed.has(key.item(v));
    }
    const strip = (values: unknown): unknown => {
      if (!isObject(values) || !(rule.attribute in values)) return values;
      const v = values[rule.attribute];
      return { ...values, [rule.attribute]: Array.isArray(v) ? v.map((x) => (drop(x) ? null : x)) : rule.key ? v : null };
    };
    before = strip(before);
    after = strip(after);
  }
  return { before, after };
}

/**
 * The IAM/security-group analysis of the planned changes (security.ts), run on what changed outside
 * Terraform (each drift entry's before -> after, without the attributes that mirror objects other
 * resources of the configuration manage): broadening first, as for changes. Sensitive parts are
 * hidden exactly as there; `scrub` masks the detail lines.
 */
export function driftSecurityFindings(plan: PlanDocument, drift: readonly DriftReview[], scrub: (text: string) => string): DriftSecurityFinding[] {
  const classOf = new Map(drift.map((d) => [d.address, d.classification]));
  const out: DriftSecurityFinding[] = [];
  for (const entry of plan.resource_drift ?? []) {
    if ((entry.mode ?? 'managed') !== 'managed') continue;
    const { address } = addressOf(entry);
    const c = entry.change;
    const { before, after } = withoutMirrors(plan, entry, address);
    const finding = securityFinding({
      address,
      type: entry.type,
      before,
      after,
      beforeSensitive: c.before_sensitive,
      afterSensitive: c.after_sensitive,
      afterUnknown: undefined,
      sensitive: scrub,
    });
    if (finding) out.push({ ...finding, classification: classOf.get(address) ?? 'absorbed' });
  }
  return out.sort(compareFindings);
}
