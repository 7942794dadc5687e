/**
 * The re-plan check: after an apply, `terraform plan` must show no changes, except attributes on
 * the explicit allow-list of emulator gaps (a type, an attribute, and the moto behaviour that
 * makes the provider see a difference real AWS would not show).
 */
import { isDeepStrictEqual } from 'node:util';
import { JsonValue, PlanDocument, PlanResourceChange } from '../plan-review';
import { addressOf } from '../plan-review/actions';

export interface EmulatorGap {
  /** Resource type, e.g. `aws_lb`. */
  readonly type: string;
  /** Top-level attribute the re-plan shows changing, e.g. `subnets`. */
  readonly attribute: string;
  /** What moto does that real AWS does not (the reason the difference is the emulator's). */
  readonly moto: string;
}

/**
 * Emulator gaps in the re-plan after apply. Each entry is one attribute of one type; an entry
 * never covers creating, deleting or replacing a whole object. Keep each reason precise enough
 * that a reader can check it in moto's source.
 */
export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  { type: 'aws_db_instance', attribute: 'monitoring_interval', moto: 'moto/rds/models.py DBInstance does not store MonitoringInterval (CreateDBInstance drops it), so DescribeDBInstances omits it and the provider reads 0' },
  { type: 'aws_db_instance', attribute: 'monitoring_role_arn', moto: 'moto/rds/models.py DBInstance does not store MonitoringRoleArn, so DescribeDBInstances omits it and the provider reads it as unset' },
  { type: 'aws_db_instance', attribute: 'performance_insights_enabled', moto: 'moto/rds/models.py DBInstance does not store EnablePerformanceInsights, so DescribeDBInstances reports it off' },
  { type: 'aws_db_instance', attribute: 'performance_insights_kms_key_id', moto: 'moto/rds/models.py DBInstance does not store PerformanceInsightsKMSKeyId, so DescribeDBInstances omits it' },
  { type: 'aws_db_instance', attribute: 'performance_insights_retention_period', moto: 'moto/rds/models.py DBInstance does not store PerformanceInsightsRetentionPeriod, so DescribeDBInstances omits it' },
  { type: 'aws_rds_cluster_instance', attribute: 'monitoring_interval', moto: 'moto/rds/models.py DBInstance (Aurora instances too) does not store MonitoringInterval, so DescribeDBInstances omits it and the provider reads 0' },
  { type: 'aws_rds_cluster_instance', attribute: 'monitoring_role_arn', moto: 'moto/rds/models.py DBInstance does not store MonitoringRoleArn, so DescribeDBInstances omits it' },
  { type: 'aws_rds_cluster_instance', attribute: 'performance_insights_enabled', moto: 'moto/rds/models.py DBInstance does not store EnablePerformanceInsights, so DescribeDBInstances reports it off' },
  { type: 'aws_rds_cluster_instance', attribute: 'performance_insights_kms_key_id', moto: 'moto/rds/models.py DBInstance does not store PerformanceInsightsKMSKeyId, so DescribeDBInstances omits it' },
  { type: 'aws_rds_cluster_instance', attribute: 'performance_insights_retention_period', moto: 'moto/rds/models.py DBInstance does not store PerformanceInsightsRetentionPeriod, so DescribeDBInstances omits it' },
  { type: 'aws_ecs_service', attribute: 'availability_zone_rebalancing', moto: 'moto/ecs/models.py Service does not store availabilityZoneRebalancing, so DescribeServices omits it' },
  { type: 'aws_ecs_service', attribute: 'enable_ecs_managed_tags', moto: 'moto/ecs/models.py Service does not store enableECSManagedTags, so DescribeServices reports false' },
  { type: 'aws_ecs_service', attribute: 'health_check_grace_period_seconds', moto: 'moto/ecs/models.py Service does not store healthCheckGracePeriodSeconds, so DescribeServices omits it and the provider reads 0' },
  // Seen in the cut-over (src/rehearsal/cutover.ts): the service the legacy HCL created is updated in place by the stack.
  { type: 'aws_ecs_service', attribute: 'deployment_maximum_percent', moto: 'moto/ecs/models.py Service keeps no deploymentConfiguration (Create/UpdateService ignore it, DescribeServices omits it); after an UpdateService the provider reads maximumPercent as 0' },
  { type: 'aws_ecs_service', attribute: 'deployment_minimum_healthy_percent', moto: 'moto/ecs/models.py Service keeps no deploymentConfiguration (Create/UpdateService ignore it, DescribeServices omits it); after an UpdateService the provider reads minimumHealthyPercent as 0' },
];

/** Problems with an allow-list (all of them, so they are fixed together). */
export function gapListProblems(gaps: readonly EmulatorGap[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  gaps.forEach((g, i) => {
    const where = `emulator gap #${i + 1} (${g.type || '?'}.${g.attribute || '?'})`;
    if (!/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(g.type ?? '')) problems.push(`${where}: type ${JSON.stringify(g.type)} is not a resource type (e.g. aws_lb)`);
    if (!/^[a-z][a-z0-9_]*$/.test(g.attribute ?? '')) problems.push(`${where}: attribute ${JSON.stringify(g.attribute)} is not a top-level attribute name (e.g. subnets)`);
    if (!g.moto || g.moto.trim().length < 20) problems.push(`${where}: moto must say which moto behaviour causes the difference (at least 20 characters)`);
    const key = `${g.type}.${g.attribute}`;
    if (seen.has(key)) problems.push(`${where}: listed twice`);
    seen.add(key);
  });
  return problems;
}

/** Top-level attributes whose planned value differs from the prior one (or becomes unknown). */
export function changedAttributes(rc: PlanResourceChange): string[] {
  const before = (rc.change.before ?? {}) as Record<string, JsonValue>;
  const after = (rc.change.after ?? {}) as Record<string, JsonValue>;
  const unknown = (rc.change.after_unknown ?? {}) as Record<string, JsonValue>;
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  const changed: string[] = [];
  for (const key of keys) {
    const becomesUnknown = unknown[key] !== undefined && unknown[key] !== false && !(typeof unknown[key] === 'object' && isDeepStrictEqual(unknown[key], emptyLike(unknown[key])));
    if (becomesUnknown || !isDeepStrictEqual(before[key] ?? null, after[key] ?? null)) changed.push(key);
  }
  return changed.sort();
}

/** after_unknown holds `{}`/`[]` (or nested ones) for known structures: no unknown inside. */
function emptyLike(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(emptyLike);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, emptyLike(x)]));
  return false;
}

export interface ReplanEntry {
  readonly address: string;
  readonly actions: readonly string[];
  /** Changed attributes and, for allowed ones, the gap that explains them. */
  readonly attributes: readonly { readonly name: string; readonly gap?: EmulatorGap }[];
}

export interface ReplanResult {
  /** No change at all, or only allow-listed attribute updates. */
  readonly ok: boolean;
  /** Changes fully explained by emulator gaps. */
  readonly explained: readonly ReplanEntry[];
  /** Changes that fail the rehearsal: creates, deletes, and updates of attributes not on the list. */
  readonly unexplained: readonly ReplanEntry[];
  /** Output values that would change. */
  readonly outputs: readonly string[];
}

/** Classifies every resource change of a re-plan against the allow-list. */
export function checkReplan(plan: PlanDocument, gaps: readonly EmulatorGap[] = EMULATOR_GAPS): ReplanResult {
  const explained: ReplanEntry[] = [];
  const unexplained: ReplanEntry[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    if (actions.every((a) => a === 'no-op' || a === 'read')) continue;
    const { address } = addressOf(rc);
    const attributes = changedAttributes(rc).map((name) => ({ name, gap: gaps.find((g) => g.type === rc.type && g.attribute === name) }));
    const entry: ReplanEntry = { address, actions, attributes };
    const onlyUpdate = actions.length === 1 && actions[0] === 'update';
    if (onlyUpdate && attributes.length > 0 && attributes.every((a) => a.gap)) explained.push(entry);
    else unexplained.push(entry);
  }
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, c]) => !c.actions.every((a) => a === 'no-op'))
    .map(([name]) => name)
    .sort();
  return { ok: unexplained.length === 0 && outputs.length === 0, explained, unexplained, outputs };
}

/** One line per change, e.g. `aws_lb.x update: subnets (emulator gap), tags (UNEXPLAINED)`. */
export function describeReplanEntry(e: ReplanEntry): string {
  const attrs = e.attributes.map((a) => `${a.name}${a.gap ? '' : ' (unexplained)'}`).join(', ');
  return `${e.address} ${e.actions.join('+')}${attrs ? `: ${attrs}` : ''}`;
}
