/**
 * The migration planner: decides, for every resource instance of the legacy state, where it goes in
 * one synthesized stack, and lists what the stack creates. Matching, in order:
 *
 * 1. the overrides file (a human decision always wins);
 * 2. same type and identifying attributes (table {@link IDENTITY_KEYS}), with references in the new
 *    configuration (`${aws_subnet.x.id}`) resolved through the pairs found so far, and pairs inferred
 *    along references (a matched NAT gateway's `allocation_id` finds its EIP);
 * 3. the same address (kept);
 * 4. position, for count-expanded legacy resources (new count-expanded resource of the same type),
 *    never against a known, different identity.
 *
 * "The last/only instance of its type on both sides" never pairs: it stays UNMAPPED (exit 1), with a
 * suggestion to confirm in the overrides file for types that are neither stateful nor network.
 * Never two sources to one target, never across types. Then every mapped pair is checked for
 * arguments that force replacement ({@link FORCE_NEW_TABLE}): any replacement of a moved resource is
 * a BLOCKER unless allow-listed ({@link REPLACEMENT_ALLOW_LIST}).
 */
import { createHash } from 'node:crypto';
import { parseAddress } from '../terraform-json/address';
import { LegacyConfig } from './legacy-hcl';
import { EMPTY_OVERRIDES, Overrides } from './overrides';
import { allowedReplacement, forceNewRow } from './replacement';
import { getPath, stateEntries, StateEntry, TerraformState } from '../terraform-json/state';
import { parseReference, isExpression, StackJson, stackResources, StackResource } from './stack';
import { isStatefulType } from '../terraform-json/stateful';
import { InfraError } from '../errors';

export const PLAN_FORMAT_VERSION = 1;

export type EntryStatus = 'moved' | 'kept' | 'retired' | 'unmapped' | 'data-source';

export interface PlanEntry {
  readonly source: string;
  readonly type: string;
  readonly status: EntryStatus;
  readonly target?: string;
  /** How the pair was found (moved/kept), or why (retired/unmapped/data-source). */
  readonly matchedBy?: string;
  readonly reason?: string;
  /** The instance's `id` attribute at planning time (lets apply recognise finished moves). */
  readonly id?: string;
}

export interface Creation {
  readonly address: string;
  readonly type: string;
  /** True when the stack adopts an existing object with an `import` block. */
  readonly imported: boolean;
}

export interface Risk {
  readonly severity: 'BLOCKER' | 'WARNING';
  readonly source: string;
  readonly target: string;
  readonly attribute: string;
  readonly legacyValue: unknown;
  readonly newValue: unknown;
  readonly message: string;
  readonly fix: string;
}

export interface MovePlan {
  readonly formatVersion: number;
  readonly stack: string;
  /** sha256 of the synthesized stack JSON the plan was made against. */
  readonly stackDigest: string;
  readonly legacyState: { readonly serial: number; readonly lineage: string; readonly terraformVersion?: string };
  readonly summary: Record<EntryStatus | 'creations' | 'blockers' | 'warnings', number>;
  readonly entries: readonly PlanEntry[];
  readonly creations: readonly Creation[];
  readonly risks: readonly Risk[];
  readonly blockers: readonly string[];
  readonly warnings: readonly string[];
  /** Force-new arguments that could not be compared (their new value is an unresolved expression). */
  readonly unchecked: readonly string[];
  /** Added by `migrate plan` when terraform confirmed the plan (changes of migrated instances). */
  readonly terraformConfirmation?: {
    readonly migratedChanges: ReadonlyArray<{ address: string; from?: string; actions: readonly string[]; changedAttributes: readonly string[]; replacePaths: readonly string[] }>;
    readonly creations: number;
  };
}

/**
 * Identifying attributes per type, strongest first. The first key that both sides carry decides
 * (equal: candidate; different: not the same object). Types not listed use {@link DEFAULT_IDENTITY}.
 */
export const IDENTITY_KEYS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  aws_vpc: [['cidr_block'], ['tags.Name']],
  aws_subnet: [['cidr_block', 'availability_zone'], ['tags.Name']],
  aws_internet_gateway: [['vpc_id'], ['tags.Name']],
  aws_nat_gateway: [['subnet_id'], ['tags.Name']],
  aws_eip: [['tags.Name']],
  // The default route's NAT gateway tells private route tables apart (after the NAT gateways are paired).
  aws_route_table: [['route.0.nat_gateway_id'], ['tags.Name']],
  aws_route_table_association: [['subnet_id'], ['gateway_id']],
  aws_route: [['route_table_id', 'destination_cidr_block']],
  aws_security_group: [['name'], ['name_prefix']],
  aws_security_group_rule: [['security_group_id', 'type', 'protocol', 'from_port', 'to_port']],
  aws_db_instance: [['identifier']],
  aws_rds_cluster: [['cluster_identifier']],
  aws_s3_bucket: [['bucket']],
  aws_iam_role_policy: [['role', 'name']],
  aws_iam_role_policy_attachment: [['role', 'policy_arn']],
  aws_secretsmanager_secret_version: [['secret_id']],
  aws_lb_listener: [['load_balancer_arn', 'port']],
  aws_ecs_task_definition: [['family']],
  aws_ecs_service: [['name', 'cluster'], ['name']],
  aws_cognito_user_pool_domain: [['domain']],
  random_password: [],
};
export const DEFAULT_IDENTITY: readonly (readonly string[])[] = [['name'], ['identifier'], ['bucket'], ['family'], ['function_name'], ['tags.Name']];

export interface PlanInput {
  readonly legacy: TerraformState;
  readonly stack: StackJson;
  readonly stackName: string;
  readonly overrides?: Overrides;
  readonly legacyConfig?: LegacyConfig;
}

/**
 * A configuration value as the planner sees it: known (a literal, or a reference resolved through a
 * pair), unknown (an expression), or `created`: a reference to a resource the new stack creates (no
 * legacy counterpart once matching is over), whose value is new and so never equals a legacy literal.
 */
type Known = { known: true; value: unknown } | { known: false; expression: string; created?: string };

/**
 * Network types: like stateful ones, pairing them by type alone ("the only one left") is never done,
 * since replacing one by mistake cuts traffic (everything that references it is replaced with it).
 */
export const NETWORK_RESOURCE_TYPES: readonly string[] = [
  'aws_vpc',
  'aws_subnet',
  'aws_internet_gateway',
  'aws_egress_only_internet_gateway',
  'aws_nat_gateway',
  'aws_eip',
  'aws_route_table',
  'aws_route_table_association',
  'aws_route',
  'aws_main_route_table_association',
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_network_acl',
  'aws_network_acl_rule',
  'aws_vpc_endpoint',
  'aws_vpc_peering_connection',
  'aws_flow_log',
  'aws_db_subnet_group',
  'aws_lb',
  'aws_lb_listener',
  'aws_lb_listener_rule',
  'aws_lb_target_group',
  'aws_route53_zone',
  'aws_route53_record',
];

function isNetworkType(type: string): boolean {
  return NETWORK_RESOURCE_TYPES.includes(type);
}

function scalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Pairs legacy state instances (`l`) with the stack's resources, the move targets (`n`). Each pass
 * pairs what it can prove; {@link Matcher.infer} repeats them until none pairs anything more.
 */
class Matcher {
  /** The legacy state's managed instances. */
  readonly legacy: StateEntry[];
  readonly legacyByAddress: Map<string, StateEntry>;
  /** The synthesized stack's resources: where legacy instances can move to. */
  readonly targets: StackResource[];
  readonly targetByAddress: Map<string, StackResource>;
  readonly legacyByType = new Map<string, StateEntry[]>();
  readonly targetsByType = new Map<string, StackResource[]>();
  /** The pairing, both ways: legacy address -> target address, and target address -> legacy address. */
  readonly targetOfLegacy = new Map<string, string>();
  readonly legacyOfTarget = new Map<string, string>();
  /** Legacy address -> what paired it (`identity (...)`, `reference (...)`, `override`, ...), shown in the plan. */
  readonly matchedBy = new Map<string, string>();
  /** Legacy address -> why it is retired (overrides). */
  readonly retired = new Map<string, string>();
  /** Legacy address -> why it cannot be paired at all (e.g. a cross-type override). */
  readonly blocked = new Map<string, string>();
  /** Unpaired legacy instance -> why the only candidate of its type was not paired (or the suggestion). */
  readonly lastOfType = new Map<string, string>();
  readonly blockers: string[] = [];
  readonly warnings: string[] = [];
  /** `type\0attr` -> legacy value -> legacy instances (built on first use; for the reference pass). */
  private readonly attrIndex = new Map<string, Map<string, StateEntry[]>>();

  /** Stack addresses adopted with an `import` block: existing objects, not new ones. */
  readonly imported: ReadonlySet<string>;

  constructor(legacy: StateEntry[], targets: StackResource[], imported: ReadonlySet<string> = new Set()) {
    this.imported = imported;
    this.legacy = legacy;
    this.legacyByAddress = new Map(legacy.map((e) => [e.address, e]));
    this.targets = targets;
    this.targetByAddress = new Map(targets.map((n) => [n.address, n]));
    for (const l of legacy) pushTo(this.legacyByType, l.type, l);
    for (const n of targets) pushTo(this.targetsByType, n.type, n);
  }

  isFreeLegacy(l: StateEntry): boolean {
    return !this.targetOfLegacy.has(l.address) && !this.retired.has(l.address) && !this.blocked.has(l.address);
  }
  isFreeTarget(n: StackResource): boolean {
    return !this.legacyOfTarget.has(n.address);
  }
  pair(legacyAddress: string, targetAddress: string, matchedBy: string): void {
    this.targetOfLegacy.set(legacyAddress, targetAddress);
    this.legacyOfTarget.set(targetAddress, legacyAddress);
    this.matchedBy.set(legacyAddress, matchedBy);
  }

  /**
   * A new configuration value, with whole-string references to paired resources resolved to legacy
   * values. `final` (matching is over): a reference to an unpaired resource of the stack is an object
   * the stack creates (`created`), never equal to a legacy value; an imported one (an existing object)
   * stays unknown.
   */
  resolve(value: unknown, final = false): Known {
    if (value === undefined) return { known: true, value: undefined };
    const ref = parseReference(value);
    if (ref) {
      const legacyAddr = this.legacyOfTarget.get(ref.resource);
      if (legacyAddr) return { known: true, value: this.legacyByAddress.get(legacyAddr)?.attributes[ref.attribute] };
      if (final && this.targetByAddress.has(ref.resource) && !this.imported.has(ref.resource)) return { known: false, expression: String(value), created: ref.resource };
      return { known: false, expression: String(value) };
    }
    if (isExpression(value)) return { known: false, expression: String(value) };
    return { known: true, value };
  }

  /**
   * 'equal' / 'different' / undefined (no key decides). Keys are tried strongest first; the first key
   * with a known, different part decides 'different' (even when another part of that key is an
   * unresolved reference), the first key with every part known and equal decides 'equal'.
   */
  compareIdentity(l: StateEntry, n: StackResource, final = false): { verdict: 'equal' | 'different'; key: readonly string[] } | undefined {
    for (const key of IDENTITY_KEYS[l.type] ?? DEFAULT_IDENTITY) {
      let unknown = 0;
      let different = false;
      for (const part of key) {
        const legacyValue = scalar(getPath(l.attributes, part));
        if (legacyValue === undefined || legacyValue === '') {
          unknown++;
          continue;
        }
        const stackValue = this.resolve(getPath(n.config, part), final);
        if (!stackValue.known) {
          if (stackValue.created) different = true;
          else unknown++;
          continue;
        }
        const v = scalar(stackValue.value);
        if (v === undefined) unknown++;
        else if (v !== legacyValue) different = true;
      }
      if (different) return { verdict: 'different', key };
      if (unknown === 0) return { verdict: 'equal', key };
    }
    return undefined;
  }

  /** `name = "a" in the state, "b" in the stack` for each part of a key. */
  describeKey(l: StateEntry, n: StackResource, key: readonly string[]): string {
    return key
      .map((p) => {
        const r = this.resolve(getPath(n.config, p), true);
        return `${p} = ${JSON.stringify(getPath(l.attributes, p) ?? null)} in the state, ${r.known ? JSON.stringify(r.value ?? null) : r.expression} in the stack`;
      })
      .join('; ');
  }

  /** The values of a key's parts on one side, or undefined when a part is not a known scalar. */
  private legacyTuple(l: StateEntry, key: readonly string[]): string | undefined {
    const values: string[] = [];
    for (const part of key) {
      const v = scalar(getPath(l.attributes, part));
      if (v === undefined || v === '') return undefined;
      values.push(v);
    }
    return JSON.stringify(values);
  }
  private targetTuple(n: StackResource, key: readonly string[]): string | undefined {
    const values: string[] = [];
    for (const part of key) {
      const r = this.resolve(getPath(n.config, part));
      const v = r.known ? scalar(r.value) : undefined;
      if (v === undefined) return undefined;
      values.push(v);
    }
    return JSON.stringify(values);
  }

  /**
   * Identity pairs: a legacy instance and a new resource that are each other's only 'equal' candidate.
   * Indexed by the values of each identity key (and which stronger keys each side fully knows), so
   * the pass is linear in instances, not legacy x new.
   */
  identityPass(): boolean {
    const proposals: [string, string, readonly string[]][] = [];
    for (const [type, legacyOfType] of this.legacyByType) {
      const freeTargets = (this.targetsByType.get(type) ?? []).filter((n) => this.isFreeTarget(n));
      const freeLegacy = legacyOfType.filter((l) => this.isFreeLegacy(l));
      if (freeTargets.length === 0 || freeLegacy.length === 0) continue;
      const keys = IDENTITY_KEYS[type] ?? DEFAULT_IDENTITY;
      // bucket: `${k}|${mask of stronger keys the side fully knows}|${tuple}`
      const targetBuckets = new Map<string, StackResource[]>();
      for (const n of freeTargets) {
        let mask = 0;
        keys.forEach((key, k) => {
          const t = this.targetTuple(n, key);
          if (t === undefined) return;
          pushTo(targetBuckets, `${k}|${mask}|${t}`, n);
          mask |= 1 << k;
        });
      }
      const legacyBuckets = new Map<string, StateEntry[]>();
      const legacyTuples = new Map<string, (string | undefined)[]>();
      for (const l of freeLegacy) {
        const tuples = keys.map((key) => this.legacyTuple(l, key));
        legacyTuples.set(l.address, tuples);
        let mask = 0;
        tuples.forEach((t, k) => {
          if (t === undefined) return;
          pushTo(legacyBuckets, `${k}|${mask}|${t}`, l);
          mask |= 1 << k;
        });
      }
      /** Up to two 'equal' candidates on the other side (two means ambiguous). */
      const lookup = <B>(tuples: (string | undefined)[], buckets: Map<string, B[]>, isEqual: (b: B) => boolean, id: (b: B) => string): B[] => {
        const found = new Map<string, B>();
        let ownMask = 0;
        for (let k = 0; k < tuples.length && found.size < 2; k++) {
          const t = tuples[k];
          if (t !== undefined) {
            for (let m = 0; m < 1 << k && found.size < 2; m++) {
              if ((m & ownMask) !== 0) continue;
              for (const b of buckets.get(`${k}|${m}|${t}`) ?? []) {
                if (found.has(id(b)) || !isEqual(b)) continue;
                found.set(id(b), b);
                if (found.size >= 2) break;
              }
            }
            ownMask |= 1 << k;
          }
        }
        return [...found.values()];
      };
      for (const l of freeLegacy) {
        const candidates = lookup(legacyTuples.get(l.address)!, targetBuckets, (n) => this.compareIdentity(l, n)?.verdict === 'equal', (n) => n.address);
        if (candidates.length !== 1) continue;
        const n = candidates[0];
        const targetTuples = keys.map((key) => this.targetTuple(n, key));
        const reverseCandidates = lookup(targetTuples, legacyBuckets, (c) => this.compareIdentity(c, n)?.verdict === 'equal', (c) => c.address);
        if (reverseCandidates.length !== 1) continue;
        proposals.push([l.address, n.address, this.compareIdentity(l, n)!.key]);
      }
    }
    proposals.sort(([a], [b]) => a.localeCompare(b));
    for (const [l, n, key] of proposals) {
      const entry = this.legacyByAddress.get(l)!;
      const keyValues = key.map((p) => `${p}=${JSON.stringify(getPath(entry.attributes, p))}`).join(', ');
      this.pair(l, n, `identity (${keyValues})`);
    }
    return proposals.length > 0;
  }

  /** Free legacy instances of a type whose attribute has a value (indexed on first use). */
  private legacyWith(type: string, attr: string, value: string): StateEntry[] {
    const id = `${type}\u0000${attr}`;
    let index = this.attrIndex.get(id);
    if (!index) {
      index = new Map();
      for (const c of this.legacyByType.get(type) ?? []) {
        const v = scalar(c.attributes[attr]);
        if (v !== undefined && v !== '') pushTo(index, v, c);
      }
      this.attrIndex.set(id, index);
    }
    const hits: StateEntry[] = [];
    for (const c of index.get(value) ?? []) {
      if (!this.isFreeLegacy(c)) continue;
      hits.push(c);
      if (hits.length > 1) break;
    }
    return hits;
  }

  /** A paired resource's reference `${T.N.attr}` and its legacy value find the legacy T with that attr. */
  referencePass(): boolean {
    const proposals = new Map<string, Set<string>>();
    const via = new Map<string, string>();
    for (const [legacyAddress, targetAddress] of [...this.targetOfLegacy].sort(([a], [b]) => a.localeCompare(b))) {
      const l = this.legacyByAddress.get(legacyAddress)!;
      const n = this.targetByAddress.get(targetAddress)!;
      for (const [attr, value] of Object.entries(n.config)) {
        const ref = parseReference(value);
        if (!ref) continue;
        const target = this.targetByAddress.get(ref.resource);
        if (!target || !this.isFreeTarget(target)) continue;
        const legacyValue = scalar(l.attributes[attr]);
        if (legacyValue === undefined || legacyValue === '') continue;
        const hits = this.legacyWith(target.type, ref.attribute, legacyValue);
        if (hits.length !== 1) continue;
        const set = proposals.get(target.address) ?? new Set<string>();
        set.add(hits[0].address);
        proposals.set(target.address, set);
        if (!via.has(target.address)) via.set(target.address, `reference (${targetAddress}.${attr} -> ${target.address}.${ref.attribute}, equal to ${legacyAddress}.${attr} in the legacy state)`);
      }
    }
    let changed = false;
    const usedLegacy = new Map<string, number>();
    for (const set of proposals.values()) for (const l of set) usedLegacy.set(l, (usedLegacy.get(l) ?? 0) + 1);
    for (const [n, set] of [...proposals].sort(([a], [b]) => a.localeCompare(b))) {
      if (set.size !== 1) continue;
      const l = [...set][0];
      if (usedLegacy.get(l) !== 1 || this.targetOfLegacy.has(l) || this.legacyOfTarget.has(n)) continue;
      this.pair(l, n, via.get(n)!);
      changed = true;
    }
    return changed;
  }

  sameAddressPass(): boolean {
    let changed = false;
    for (const l of this.legacy) {
      const n = this.targetByAddress.get(l.address);
      if (!this.isFreeLegacy(l) || !n || !this.isFreeTarget(n) || n.type !== l.type) continue;
      const c = this.compareIdentity(l, n);
      this.pair(l.address, n.address, c?.verdict === 'different' ? `same address (identity differs: ${c.key.join(', ')})` : 'same address');
      changed = true;
    }
    return changed;
  }

  /**
   * Count-expanded legacy `T.name[i]` to the i-th instance of a count-expanded new `T.other` (only one
   * such candidate, every instance still free), unless the identity is known to differ. Linear:
   * groups are built by appending, the new groups are indexed by key once per pass.
   */
  positionPass(): boolean {
    let changed = false;
    const groups = new Map<string, StateEntry[]>();
    for (const l of this.legacy) {
      if (typeof l.key !== 'number' || !this.isFreeLegacy(l)) continue;
      pushTo(groups, l.address.replace(/\[\d+\]$/, ''), l);
    }
    if (groups.size === 0) return false;
    const newGroups = new Map<string, Map<string, { free: boolean; byKey: Map<number, StackResource> }>>();
    for (const n of this.targets) {
      if (typeof n.key !== 'number') continue;
      const byName = newGroups.get(n.type) ?? new Map<string, { free: boolean; byKey: Map<number, StackResource> }>();
      newGroups.set(n.type, byName);
      const g = byName.get(n.name) ?? { free: true, byKey: new Map<number, StackResource>() };
      byName.set(n.name, g);
      g.byKey.set(n.key, n);
      if (!this.isFreeTarget(n)) g.free = false;
    }
    for (const [group, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const usable = [...(newGroups.get(members[0].type)?.values() ?? [])].filter((g) => g.free);
      if (usable.length !== 1) continue;
      for (const l of members) {
        const n = usable[0].byKey.get(l.key as number);
        if (!n || this.compareIdentity(l, n)?.verdict === 'different') continue;
        this.pair(l.address, n.address, `position (${group}[${l.key}] -> ${n.address})`);
        usable[0].free = false;
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Runs the passes, strongest first, until a round pairs nothing. Every productive round pairs at
   * least one free legacy instance, so this settles within (legacy instances + 1) rounds, the
   * default limit; not settling within it is a bug in a pass (one that reports a change without
   * pairing), and an error rather than a plan made from a half-finished pairing.
   */
  infer(maxRounds: number = this.legacy.length + 1): void {
    const passes = [() => this.identityPass(), () => this.referencePass(), () => this.sameAddressPass(), () => this.positionPass()];
    let settled = false;
    for (let round = 0; round < maxRounds && !settled; round++) {
      settled = !passes.some((pass) => pass());
    }
    if (!settled) {
      throw new Error(
        `migration planner: the pairing passes did not settle within ${maxRounds} rounds (${this.targetOfLegacy.size} of ${this.legacy.length} legacy instances paired so far); this is a bug in the planner: please report it with the legacy state and the stack`,
      );
    }
    this.lastOfTypeReasons();
  }

  /**
   * "Each is the last of its type on its side" proves nothing: never a pairing. For stateful and
   * network types it is only said; for the rest the pair is suggested for the overrides file.
   */
  private lastOfTypeReasons(): void {
    for (const [type, legacyOfType] of this.legacyByType) {
      const freeLegacy = legacyOfType.filter((l) => this.isFreeLegacy(l));
      const freeTargets = (this.targetsByType.get(type) ?? []).filter((n) => this.isFreeTarget(n));
      if (freeLegacy.length !== 1 || freeTargets.length !== 1) continue;
      const [l, n] = [freeLegacy[0], freeTargets[0]];
      const c = this.compareIdentity(l, n, true);
      if (c?.verdict === 'different') {
        this.lastOfType.set(l.address, `the stack's only unpaired ${type} is ${n.address}, but its identity differs (${this.describeKey(l, n, c.key)}): another object, or a configuration that must keep the legacy values`);
      } else if (isStatefulType(type) || isNetworkType(type)) {
        this.lastOfType.set(
          l.address,
          `the stack's only unpaired ${type} is ${n.address}, but being the last of a stateful or network type on each side proves nothing: ` +
            `compare the two objects and, if they are the same, add {"from": "${l.address}", "to": "${n.address}"} to the overrides file's "moves" (or retire ${l.address})`,
        );
      } else {
        this.lastOfType.set(
          l.address,
          `suggestion (not applied): ${n.address} is the stack's only unpaired ${type}; if it is the same object, confirm it with {"from": "${l.address}", "to": "${n.address}"} in the overrides file's "moves"`,
        );
      }
    }
  }
}

function applyOverrides(matcher: Matcher, overrides: Overrides): void {
  const checkPair = (from: string, to: string, field: string, matchedBy: string): void => {
    const l = matcher.legacyByAddress.get(from);
    const n = matcher.targetByAddress.get(to);
    if (!l) return void matcher.blockers.push(`overrides ${field}: "${from}" is not a managed instance of the legacy state`);
    if (!n) return void matcher.blockers.push(`overrides ${field}: "${to}" is not a resource of the synthesized stack`);
    if (l.type !== n.type) {
      matcher.blocked.set(from, `cross-type move ${l.type} -> ${n.type} is not possible with state mv: \`terraform state rm '${from}'\` (or retire it) and adopt it with an import block for ${to}`);
      matcher.blockers.push(`overrides ${field}: ${from} -> ${to} crosses resource types (${l.type} -> ${n.type}); use retire + an import definition instead`);
      return;
    }
    if (matcher.legacyOfTarget.has(to)) return void matcher.blockers.push(`overrides ${field}: target "${to}" already has a source (${matcher.legacyOfTarget.get(to)})`);
    matcher.pair(from, to, matchedBy);
  };
  overrides.moves.forEach((mv, i) => checkPair(mv.from, mv.to, `moves[${i}]`, `override${mv.reason ? ` (${mv.reason})` : ''}`));
  overrides.positional.forEach((p, i) => {
    const members = matcher.legacy.filter((l) => l.address.replace(/\[\d+\]$/, '') === p.from && typeof l.key === 'number');
    if (members.length === 0) return void matcher.blockers.push(`overrides positional[${i}].from: "${p.from}" has no count-indexed instances in the legacy state`);
    if (members.length !== p.to.length) {
      matcher.blockers.push(`overrides positional[${i}]: "${p.from}" has ${members.length} instances but ${p.to.length} targets are listed`);
      return;
    }
    members
      .sort((a, b) => (a.key as number) - (b.key as number))
      .forEach((l, j) => checkPair(l.address, p.to[j], `positional[${i}].to[${j}]`, `override position (${p.from}[${l.key}])`));
  });
  overrides.retire.forEach((r, i) => {
    if (!matcher.legacyByAddress.has(r.address)) return void matcher.blockers.push(`overrides retire[${i}].address: "${r.address}" is not a managed instance of the legacy state`);
    matcher.retired.set(r.address, r.reason);
  });
}

function normalise(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v, Object.keys(v as object).sort());
  return String(v);
}

function assessRisks(matcher: Matcher): { risks: Risk[]; unchecked: string[] } {
  const risks: Risk[] = [];
  const unchecked: string[] = [];
  for (const [legacyAddress, targetAddress] of matcher.targetOfLegacy) {
    const l = matcher.legacyByAddress.get(legacyAddress)!;
    const n = matcher.targetByAddress.get(targetAddress)!;
    const row = forceNewRow(l.type);
    if (!row) continue;
    for (const arg of row.arguments) {
      const raw = n.config[arg.name];
      let newValue: unknown;
      let created: string | undefined;
      if (raw === undefined) {
        if (arg.default === undefined) continue;
        newValue = arg.default;
      } else {
        const r = matcher.resolve(raw, true);
        if (!r.known && !r.created) {
          unchecked.push(`${targetAddress}.${arg.name} = ${r.expression}`);
          continue;
        }
        // A reference to an object the stack creates is a new value: it never equals a legacy literal.
        created = r.known ? undefined : r.created;
        newValue = r.known ? r.value : r.expression;
      }
      const legacyValue = l.attributes[arg.name];
      if (!created && typeof newValue === 'object' && newValue !== null && (typeof legacyValue !== 'object' || Array.isArray(newValue) !== Array.isArray(legacyValue))) {
        unchecked.push(`${targetAddress}.${arg.name} (block shape differs from the state's)`);
        continue;
      }
      if (legacyValue === undefined && raw === undefined) continue;
      if (!created && normalise(legacyValue) === normalise(newValue)) continue;
      const allowed = allowedReplacement(l.type, [arg.name]);
      const keep = JSON.stringify(legacyValue ?? null);
      const change = created
        ? `${arg.name} = ${JSON.stringify(newValue)} refers to ${created}, which the stack creates (no legacy counterpart), so it cannot keep ${keep}`
        : `${arg.name} changes from ${keep} to ${JSON.stringify(newValue)}`;
      risks.push({
        severity: allowed ? 'WARNING' : 'BLOCKER',
        source: legacyAddress,
        target: targetAddress,
        attribute: arg.name,
        legacyValue: legacyValue ?? null,
        newValue,
        message: `${targetAddress}: ${change}, which forces replacement of ${l.type} (${row.source})${allowed ? ` [allowed: ${allowed.reason}]` : ''}`,
        fix: created
          ? `pair ${created} with its legacy object (overrides "moves"), or retire ${legacyAddress} and let the stack create its own`
          : arg.configField
            ? `set ${arg.configField} to ${keep} to keep the value`
            : `keep ${arg.name} = ${keep} on ${targetAddress}`,
      });
    }
  }
  risks.sort((a, b) => a.source.localeCompare(b.source) || a.attribute.localeCompare(b.attribute));
  return { risks, unchecked: [...new Set(unchecked)].sort() };
}

function unmappedReason(matcher: Matcher, l: StateEntry, byName: () => Map<string, StackResource[]>): string {
  const blocked = matcher.blocked.get(l.address);
  if (blocked) return blocked;
  const lastOfType = matcher.lastOfType.get(l.address);
  if (lastOfType) return `${lastOfType}; decide in the overrides file (moves / positional / retire)`;
  const sameType = (matcher.targetsByType.get(l.type) ?? []).filter((n) => matcher.isFreeTarget(n)).map((n) => n.address);
  const name = scalar(l.attributes.name) ?? scalar(l.attributes.identifier) ?? scalar(l.attributes.bucket);
  const otherType = name ? (byName().get(name) ?? []).filter((n) => n.type !== l.type && matcher.isFreeTarget(n)).map((n) => n.address) : [];
  const shown = sameType.length > 10 ? `${sameType.slice(0, 10).join(', ')} and ${sameType.length - 10} more` : sameType.join(', ');
  const parts = [sameType.length > 0 ? `no unique match among the stack's unpaired ${l.type}: ${shown}` : `the stack has no unpaired ${l.type}`];
  if (otherType.length > 0) parts.push(`same name as ${otherType.join(', ')} of another type: moving across types needs \`terraform state rm\` + an import definition`);
  parts.push('decide in the overrides file (moves / positional / retire)');
  return parts.join('; ');
}

function crossCheckLegacyConfig(matcher: Matcher, legacyAll: StateEntry[], config: LegacyConfig): void {
  const declared = new Set(config.declarations.map((d) => d.address));
  const inState = new Set(legacyAll.filter((e) => e.module === '').map((e) => `${e.mode === 'data' ? 'data.' : ''}${e.type}.${e.name}`));
  for (const addr of [...inState].sort()) {
    if (!declared.has(addr)) matcher.warnings.push(`${addr} is in the legacy state but not declared in the legacy code (the legacy config would destroy it)`);
  }
  for (const d of config.declarations) {
    if (!inState.has(d.address)) matcher.warnings.push(`${d.address} (${d.file}) is declared in the legacy code but not in the state (never applied?)`);
  }
  const byAddress = new Map(config.declarations.map((d) => [d.address, d]));
  for (const e of legacyAll) {
    const d = byAddress.get(`${e.mode === 'data' ? 'data.' : ''}${e.type}.${e.name}`);
    if (!d || e.module !== '') continue;
    const keyKind = e.key === undefined ? 'single' : typeof e.key === 'number' ? 'count' : 'for_each';
    if (keyKind !== d.expansion) matcher.warnings.push(`${e.address}: the state instance is ${keyKind} but ${d.file} declares ${d.address} with ${d.expansion}`);
  }
}

/** Internal knobs of {@link planMigration}, for tests. */
export interface PlanMigrationOptions {
  /** Rounds of pairing passes before the planner gives up with an error. @default legacy instances + 1 (the most it can need) */
  readonly maxInferenceRounds?: number;
}

export function planMigration(input: PlanInput, options: PlanMigrationOptions = {}): MovePlan {
  const all = stateEntries(input.legacy);
  const managed = all.filter((e) => e.mode === 'managed');
  const targets = stackResources(input.stack);
  const matcher = new Matcher(managed, targets, new Set((input.stack.import ?? []).map((i) => i.to)));
  applyOverrides(matcher, input.overrides ?? EMPTY_OVERRIDES);
  matcher.infer(options.maxInferenceRounds);
  if (input.legacyConfig) crossCheckLegacyConfig(matcher, all, input.legacyConfig);

  let namesCache: Map<string, StackResource[]> | undefined;
  const byName = (): Map<string, StackResource[]> => {
    if (!namesCache) {
      namesCache = new Map();
      for (const n of targets) {
        const name = scalar(n.config.name);
        if (name !== undefined) pushTo(namesCache, name, n);
      }
    }
    return namesCache;
  };
  const entries: PlanEntry[] = [];
  for (const e of all) {
    const id = scalar(e.attributes.id);
    if (e.mode === 'data') {
      entries.push({ source: e.address, type: e.type, status: 'data-source', reason: 'data sources are read, not owned: nothing to move', id });
      continue;
    }
    const target = matcher.targetOfLegacy.get(e.address);
    if (target) {
      entries.push({ source: e.address, type: e.type, status: target === e.address ? 'kept' : 'moved', target, matchedBy: matcher.matchedBy.get(e.address), id });
    } else if (matcher.retired.has(e.address)) {
      entries.push({ source: e.address, type: e.type, status: 'retired', reason: matcher.retired.get(e.address), id });
    } else {
      entries.push({ source: e.address, type: e.type, status: 'unmapped', reason: unmappedReason(matcher, e, byName), id });
    }
  }
  entries.sort((a, b) => a.source.localeCompare(b.source));
  const imported = new Set((input.stack.import ?? []).map((i) => i.to));
  const creations = targets
    .filter((n) => !matcher.legacyOfTarget.has(n.address))
    .map((n) => ({ address: n.address, type: n.type, imported: imported.has(n.address) }))
    .sort((a, b) => a.address.localeCompare(b.address));

  const { risks, unchecked } = assessRisks(matcher);
  const blockers = [...matcher.blockers];
  for (const target of imported) {
    if (matcher.legacyOfTarget.has(target)) blockers.push(`${target} is both the target of ${matcher.legacyOfTarget.get(target)} and of an import block: remove it from imports/`);
  }
  for (const e of entries) if (e.status === 'unmapped') blockers.push(`${e.source} is unmapped: ${e.reason}`);
  for (const r of risks) if (r.severity === 'BLOCKER') blockers.push(`${r.message}; fix: ${r.fix}`);
  const warnings = [...matcher.warnings, ...risks.filter((r) => r.severity === 'WARNING').map((r) => `${r.message}; fix: ${r.fix}`)];
  for (const c of creations) {
    if (c.imported) continue;
    const stateful = isStatefulType(c.type);
    if (stateful) warnings.push(`${c.address} (${c.type}) will be created empty: if the object already exists, add it to imports/`);
  }

  const count = (s: EntryStatus) => entries.filter((e) => e.status === s).length;
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    stack: input.stackName,
    stackDigest: stackDigest(input.stack),
    legacyState: { serial: input.legacy.serial, lineage: input.legacy.lineage, terraformVersion: input.legacy.terraform_version },
    summary: {
      moved: count('moved'),
      kept: count('kept'),
      retired: count('retired'),
      unmapped: count('unmapped'),
      'data-source': count('data-source'),
      creations: creations.length,
      blockers: blockers.length,
      warnings: warnings.length,
    },
    entries,
    creations,
    risks,
    blockers: blockers.sort(),
    warnings: warnings.sort(),
    unchecked,
  };
}

export function stackDigest(stack: StackJson): string {
  return createHash('sha256').update(JSON.stringify(stack)).digest('hex');
}

/** True when the plan may be applied: every instance accounted for and no blocker. */
export function planIsClean(plan: MovePlan): boolean {
  return plan.blockers.length === 0 && plan.entries.every((e) => e.status !== 'unmapped');
}

/** The state-changing steps of a plan, in a stable order: moves first, then retirements. */
export function planSteps(plan: MovePlan): PlanEntry[] {
  const moves = plan.entries.filter((e) => e.status === 'moved' || e.status === 'kept');
  const retired = plan.entries.filter((e) => e.status === 'retired');
  return [...moves, ...retired];
}

/** A moves.json that cannot be used. */
export class MovePlanError extends InfraError {}

/** Structural check of a moves.json read back from disk. */
export function validatePlanDocument(raw: unknown, origin: string): MovePlan {
  const problems: string[] = [];
  const p = raw as Partial<MovePlan>;
  if (typeof raw !== 'object' || raw === null) throw new MovePlanError(`${origin}: expected a JSON object`);
  if (p.formatVersion !== PLAN_FORMAT_VERSION) problems.push(`formatVersion is ${JSON.stringify(p.formatVersion)}; expected ${PLAN_FORMAT_VERSION}`);
  if (typeof p.stack !== 'string') problems.push('stack: expected a string');
  if (!p.legacyState || typeof p.legacyState.serial !== 'number' || typeof p.legacyState.lineage !== 'string') problems.push('legacyState: expected { serial, lineage }');
  if (!Array.isArray(p.entries)) problems.push('entries: expected a list');
  else {
    const statuses: EntryStatus[] = ['moved', 'kept', 'retired', 'unmapped', 'data-source'];
    p.entries.forEach((e, i) => {
      if (!statuses.includes(e.status)) problems.push(`entries[${i}].status: ${JSON.stringify(e.status)} is not one of ${statuses.join(', ')}`);
      if (!parseAddress(e.source)) problems.push(`entries[${i}].source: ${JSON.stringify(e.source)} is not an address`);
      if ((e.status === 'moved' || e.status === 'kept') && !parseAddress(e.target ?? '')) problems.push(`entries[${i}].target: ${JSON.stringify(e.target)} is not an address`);
    });
  }
  if (problems.length > 0) throw new MovePlanError(`${origin}: not a move plan: ${problems.join('; ')}`);
  return raw as MovePlan;
}
