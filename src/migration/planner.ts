/**
 * The migration planner: decides, for every resource instance of the legacy state, where it goes in
 * one synthesized stack, and lists what the stack creates. Matching, in order:
 *
 * 1. the overrides file (a human decision always wins);
 * 2. same type and identifying attributes (table {@link IDENTITY_KEYS}), with references in the new
 *    configuration (`${aws_subnet.x.id}`) resolved through the pairs found so far, and pairs inferred
 *    along references (a matched NAT gateway's `allocation_id` finds its EIP);
 * 3. the same address (kept);
 * 4. position, for count-expanded legacy resources (new count-expanded resource of the same type);
 * 5. the only remaining instance of its type on both sides (flagged for review).
 *
 * Never two sources to one target, never across types. Then every mapped pair is checked for
 * arguments that force replacement ({@link FORCE_NEW_TABLE}).
 */
import { createHash } from 'node:crypto';
import { parseAddress } from './address';
import { LegacyConfig } from './legacy-hcl';
import { EMPTY_OVERRIDES, Overrides } from './overrides';
import { forceNewRow } from './replacement';
import { getPath, stateEntries, StateEntry, TerraformState } from './state';
import { parseReference, isExpression, StackJson, stackResources, StackResource } from './stack';
import { isStatefulType } from '../stateful';

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

type Known = { known: true; value: unknown } | { known: false; expression: string };

function scalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

class Matcher {
  readonly legacy: StateEntry[];
  readonly legacyByAddress: Map<string, StateEntry>;
  readonly news: StackResource[];
  readonly newByAddress: Map<string, StackResource>;
  readonly l2n = new Map<string, string>();
  readonly n2l = new Map<string, string>();
  readonly how = new Map<string, string>();
  readonly retired = new Map<string, string>();
  readonly blocked = new Map<string, string>();
  readonly blockers: string[] = [];
  readonly warnings: string[] = [];

  constructor(legacy: StateEntry[], news: StackResource[]) {
    this.legacy = legacy;
    this.legacyByAddress = new Map(legacy.map((e) => [e.address, e]));
    this.news = news;
    this.newByAddress = new Map(news.map((n) => [n.address, n]));
  }

  free(l: StateEntry): boolean {
    return !this.l2n.has(l.address) && !this.retired.has(l.address) && !this.blocked.has(l.address);
  }
  freeNew(n: StackResource): boolean {
    return !this.n2l.has(n.address);
  }
  pair(l: string, n: string, how: string): void {
    this.l2n.set(l, n);
    this.n2l.set(n, l);
    this.how.set(l, how);
  }

  /** A new configuration value, with whole-string references to paired resources resolved to legacy values. */
  resolve(value: unknown): Known {
    if (value === undefined) return { known: true, value: undefined };
    const ref = parseReference(value);
    if (ref) {
      const legacyAddr = this.n2l.get(ref.resource);
      if (legacyAddr) return { known: true, value: this.legacyByAddress.get(legacyAddr)?.attributes[ref.attribute] };
      return { known: false, expression: String(value) };
    }
    if (isExpression(value)) return { known: false, expression: String(value) };
    return { known: true, value };
  }

  /** 'equal' / 'different' / undefined (no key both sides carry). */
  compareIdentity(l: StateEntry, n: StackResource): { verdict: 'equal' | 'different'; key: readonly string[] } | undefined {
    const keys = IDENTITY_KEYS[l.type] ?? DEFAULT_IDENTITY;
    for (const key of keys) {
      const pairs = key.map((p) => [scalar(getPath(l.attributes, p)), this.resolve(getPath(n.config, p))] as const);
      const usable = pairs.every(([lv, nv]) => lv !== undefined && lv !== '' && nv.known && scalar(nv.value) !== undefined);
      if (!usable) continue;
      const equal = pairs.every(([lv, nv]) => nv.known && lv === scalar(nv.value));
      return { verdict: equal ? 'equal' : 'different', key };
    }
    return undefined;
  }

  identityPass(): boolean {
    const candidates = new Map<string, { n: string; key: readonly string[] }[]>();
    const reverse = new Map<string, string[]>();
    for (const l of this.legacy) {
      if (!this.free(l)) continue;
      for (const n of this.news) {
        if (n.type !== l.type || !this.freeNew(n)) continue;
        const c = this.compareIdentity(l, n);
        if (c?.verdict !== 'equal') continue;
        candidates.set(l.address, [...(candidates.get(l.address) ?? []), { n: n.address, key: c.key }]);
        reverse.set(n.address, [...(reverse.get(n.address) ?? []), l.address]);
      }
    }
    let changed = false;
    for (const [l, cs] of [...candidates].sort(([a], [b]) => a.localeCompare(b))) {
      if (cs.length !== 1 || (reverse.get(cs[0].n) ?? []).length !== 1) continue;
      const entry = this.legacyByAddress.get(l)!;
      const desc = cs[0].key.map((p) => `${p}=${JSON.stringify(getPath(entry.attributes, p))}`).join(', ');
      this.pair(l, cs[0].n, `identity (${desc})`);
      changed = true;
    }
    return changed;
  }

  /** A paired resource's reference `${T.N.attr}` and its legacy value find the legacy T with that attr. */
  referencePass(): boolean {
    const proposals = new Map<string, Set<string>>();
    const via = new Map<string, string>();
    for (const [lAddr, nAddr] of [...this.l2n].sort(([a], [b]) => a.localeCompare(b))) {
      const l = this.legacyByAddress.get(lAddr)!;
      const n = this.newByAddress.get(nAddr)!;
      for (const [attr, value] of Object.entries(n.config)) {
        const ref = parseReference(value);
        if (!ref) continue;
        const target = this.newByAddress.get(ref.resource);
        if (!target || !this.freeNew(target)) continue;
        const legacyValue = scalar(l.attributes[attr]);
        if (legacyValue === undefined || legacyValue === '') continue;
        const hits = this.legacy.filter((c) => c.type === target.type && this.free(c) && scalar(c.attributes[ref.attribute]) === legacyValue);
        if (hits.length !== 1) continue;
        const set = proposals.get(target.address) ?? new Set<string>();
        set.add(hits[0].address);
        proposals.set(target.address, set);
        if (!via.has(target.address)) via.set(target.address, `reference (${nAddr}.${attr} -> ${target.address}.${ref.attribute}, equal to ${lAddr}.${attr} in the legacy state)`);
      }
    }
    let changed = false;
    const usedLegacy = new Map<string, number>();
    for (const set of proposals.values()) for (const l of set) usedLegacy.set(l, (usedLegacy.get(l) ?? 0) + 1);
    for (const [n, set] of [...proposals].sort(([a], [b]) => a.localeCompare(b))) {
      if (set.size !== 1) continue;
      const l = [...set][0];
      if (usedLegacy.get(l) !== 1 || this.l2n.has(l) || this.n2l.has(n)) continue;
      this.pair(l, n, via.get(n)!);
      changed = true;
    }
    return changed;
  }

  sameAddressPass(): boolean {
    let changed = false;
    for (const l of this.legacy) {
      const n = this.newByAddress.get(l.address);
      if (!this.free(l) || !n || !this.freeNew(n) || n.type !== l.type) continue;
      const c = this.compareIdentity(l, n);
      this.pair(l.address, n.address, c?.verdict === 'different' ? `same address (identity differs: ${c.key.join(', ')})` : 'same address');
      changed = true;
    }
    return changed;
  }

  /** Count-expanded legacy `T.name[i]` to the i-th instance of a count-expanded new `T.other` (only one such candidate). */
  positionPass(): boolean {
    let changed = false;
    const groups = new Map<string, StateEntry[]>();
    for (const l of this.legacy) {
      if (typeof l.key !== 'number' || !this.free(l)) continue;
      const k = l.address.replace(/\[\d+\]$/, '');
      groups.set(k, [...(groups.get(k) ?? []), l]);
    }
    for (const [group, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const type = members[0].type;
      const newGroups = new Map<string, StackResource[]>();
      for (const n of this.news) {
        if (n.type !== type || typeof n.key !== 'number') continue;
        newGroups.set(`${n.type}.${n.name}`, [...(newGroups.get(`${n.type}.${n.name}`) ?? []), n]);
      }
      const usable = [...newGroups.values()].filter((g) => g.every((n) => this.freeNew(n)));
      if (usable.length !== 1) continue;
      for (const l of members) {
        const n = usable[0].find((c) => c.key === l.key);
        if (!n) continue;
        this.pair(l.address, n.address, `position (${group}[${l.key}] -> ${n.address})`);
        changed = true;
      }
    }
    return changed;
  }

  soleOfTypePass(): boolean {
    let changed = false;
    const types = [...new Set(this.legacy.filter((l) => this.free(l)).map((l) => l.type))].sort();
    for (const type of types) {
      const ls = this.legacy.filter((l) => l.type === type && this.free(l));
      const ns = this.news.filter((n) => n.type === type && this.freeNew(n));
      if (ls.length !== 1 || ns.length !== 1) continue;
      // A stateful pair is made even when the identity differs: the replacement check then reports
      // which value to keep (a renamed database is a BLOCKER with its fix, not an anonymous
      // "unmapped"). Other types stay unmapped for a human to decide.
      const c = this.compareIdentity(ls[0], ns[0]);
      if (c?.verdict === 'different' && !isStatefulType(type)) continue;
      const differs = c?.verdict === 'different' ? ` (identity differs: ${c.key.join(', ')})` : '';
      this.pair(ls[0].address, ns[0].address, `only instance of its type on both sides${differs}`);
      this.warnings.push(`${ls[0].address} -> ${ns[0].address}: paired only because each is the last ${type} on its side${differs}; check it is the same object`);
      changed = true;
    }
    return changed;
  }

  infer(): void {
    const stages = [() => this.identityPass(), () => this.referencePass(), () => this.sameAddressPass(), () => this.positionPass(), () => this.soleOfTypePass()];
    for (let guard = 0; guard < 10000; guard++) {
      if (!stages.some((stage) => stage())) return;
    }
  }
}

function applyOverrides(m: Matcher, overrides: Overrides): void {
  const checkPair = (from: string, to: string, field: string, how: string): void => {
    const l = m.legacyByAddress.get(from);
    const n = m.newByAddress.get(to);
    if (!l) return void m.blockers.push(`overrides ${field}: "${from}" is not a managed instance of the legacy state`);
    if (!n) return void m.blockers.push(`overrides ${field}: "${to}" is not a resource of the synthesized stack`);
    if (l.type !== n.type) {
      m.blocked.set(from, `cross-type move ${l.type} -> ${n.type} is not possible with state mv: \`terraform state rm '${from}'\` (or retire it) and adopt it with an import block for ${to}`);
      m.blockers.push(`overrides ${field}: ${from} -> ${to} crosses resource types (${l.type} -> ${n.type}); use retire + an import definition instead`);
      return;
    }
    if (m.n2l.has(to)) return void m.blockers.push(`overrides ${field}: target "${to}" already has a source (${m.n2l.get(to)})`);
    m.pair(from, to, how);
  };
  overrides.moves.forEach((mv, i) => checkPair(mv.from, mv.to, `moves[${i}]`, `override${mv.reason ? ` (${mv.reason})` : ''}`));
  overrides.positional.forEach((p, i) => {
    const members = m.legacy.filter((l) => l.address.replace(/\[\d+\]$/, '') === p.from && typeof l.key === 'number');
    if (members.length === 0) return void m.blockers.push(`overrides positional[${i}].from: "${p.from}" has no count-indexed instances in the legacy state`);
    if (members.length !== p.to.length) {
      m.blockers.push(`overrides positional[${i}]: "${p.from}" has ${members.length} instances but ${p.to.length} targets are listed`);
      return;
    }
    members
      .sort((a, b) => (a.key as number) - (b.key as number))
      .forEach((l, j) => checkPair(l.address, p.to[j], `positional[${i}].to[${j}]`, `override position (${p.from}[${l.key}])`));
  });
  overrides.retire.forEach((r, i) => {
    if (!m.legacyByAddress.has(r.address)) return void m.blockers.push(`overrides retire[${i}].address: "${r.address}" is not a managed instance of the legacy state`);
    m.retired.set(r.address, r.reason);
  });
}

function normalise(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v, Object.keys(v as object).sort());
  return String(v);
}

function assessRisks(m: Matcher): { risks: Risk[]; unchecked: string[] } {
  const risks: Risk[] = [];
  const unchecked: string[] = [];
  for (const [lAddr, nAddr] of m.l2n) {
    const l = m.legacyByAddress.get(lAddr)!;
    const n = m.newByAddress.get(nAddr)!;
    const row = forceNewRow(l.type);
    if (!row) continue;
    for (const arg of row.arguments) {
      const raw = n.config[arg.name];
      let newValue: unknown;
      if (raw === undefined) {
        if (arg.default === undefined) continue;
        newValue = arg.default;
      } else {
        const r = m.resolve(raw);
        if (!r.known) {
          unchecked.push(`${nAddr}.${arg.name} = ${r.expression}`);
          continue;
        }
        newValue = r.value;
      }
      const legacyValue = l.attributes[arg.name];
      if (typeof newValue === 'object' && newValue !== null && (typeof legacyValue !== 'object' || Array.isArray(newValue) !== Array.isArray(legacyValue))) {
        unchecked.push(`${nAddr}.${arg.name} (block shape differs from the state's)`);
        continue;
      }
      if (legacyValue === undefined && raw === undefined) continue;
      if (normalise(legacyValue) === normalise(newValue)) continue;
      const severity = isStatefulType(l.type) ? 'BLOCKER' : 'WARNING';
      const keep = JSON.stringify(legacyValue ?? null);
      risks.push({
        severity,
        source: lAddr,
        target: nAddr,
        attribute: arg.name,
        legacyValue: legacyValue ?? null,
        newValue,
        message: `${nAddr}: ${arg.name} changes from ${keep} to ${JSON.stringify(newValue)}, which forces replacement of ${l.type} (${row.source})`,
        fix: arg.configField ? `set ${arg.configField} to ${keep} to keep the value` : `keep ${arg.name} = ${keep} on ${nAddr}`,
      });
    }
  }
  risks.sort((a, b) => a.source.localeCompare(b.source) || a.attribute.localeCompare(b.attribute));
  return { risks, unchecked: [...new Set(unchecked)].sort() };
}

function unmappedReason(m: Matcher, l: StateEntry): string {
  const blocked = m.blocked.get(l.address);
  if (blocked) return blocked;
  const sameType = m.news.filter((n) => n.type === l.type && m.freeNew(n)).map((n) => n.address);
  const name = scalar(l.attributes.name) ?? scalar(l.attributes.identifier) ?? scalar(l.attributes.bucket);
  const otherType = name ? m.news.filter((n) => n.type !== l.type && m.freeNew(n) && scalar(n.config.name) === name).map((n) => n.address) : [];
  const parts = [
    sameType.length > 0
      ? `no unique match among the stack's unpaired ${l.type}: ${sameType.join(', ')}`
      : `the stack has no unpaired ${l.type}`,
  ];
  if (otherType.length > 0) parts.push(`same name as ${otherType.join(', ')} of another type: moving across types needs \`terraform state rm\` + an import definition`);
  parts.push('decide in the overrides file (moves / positional / retire)');
  return parts.join('; ');
}

function crossCheckLegacyConfig(m: Matcher, legacyAll: StateEntry[], config: LegacyConfig): void {
  const declared = new Set(config.declarations.map((d) => d.address));
  const inState = new Set(legacyAll.filter((e) => e.module === '').map((e) => `${e.mode === 'data' ? 'data.' : ''}${e.type}.${e.name}`));
  for (const addr of [...inState].sort()) {
    if (!declared.has(addr)) m.warnings.push(`${addr} is in the legacy state but not declared in the legacy code (the legacy config would destroy it)`);
  }
  for (const d of config.declarations) {
    if (!inState.has(d.address)) m.warnings.push(`${d.address} (${d.file}) is declared in the legacy code but not in the state (never applied?)`);
  }
  for (const e of legacyAll) {
    const d = config.declarations.find((x) => x.address === `${e.mode === 'data' ? 'data.' : ''}${e.type}.${e.name}`);
    if (!d || e.module !== '') continue;
    const keyKind = e.key === undefined ? 'single' : typeof e.key === 'number' ? 'count' : 'for_each';
    if (keyKind !== d.expansion) m.warnings.push(`${e.address}: the state instance is ${keyKind} but ${d.file} declares ${d.address} with ${d.expansion}`);
  }
}

export function planMigration(input: PlanInput): MovePlan {
  const all = stateEntries(input.legacy);
  const managed = all.filter((e) => e.mode === 'managed');
  const news = stackResources(input.stack);
  const m = new Matcher(managed, news);
  applyOverrides(m, input.overrides ?? EMPTY_OVERRIDES);
  m.infer();
  if (input.legacyConfig) crossCheckLegacyConfig(m, all, input.legacyConfig);

  const entries: PlanEntry[] = [];
  for (const e of all) {
    const id = scalar(e.attributes.id);
    if (e.mode === 'data') {
      entries.push({ source: e.address, type: e.type, status: 'data-source', reason: 'data sources are read, not owned: nothing to move', id });
      continue;
    }
    const target = m.l2n.get(e.address);
    if (target) {
      entries.push({ source: e.address, type: e.type, status: target === e.address ? 'kept' : 'moved', target, matchedBy: m.how.get(e.address), id });
    } else if (m.retired.has(e.address)) {
      entries.push({ source: e.address, type: e.type, status: 'retired', reason: m.retired.get(e.address), id });
    } else {
      entries.push({ source: e.address, type: e.type, status: 'unmapped', reason: unmappedReason(m, e), id });
    }
  }
  entries.sort((a, b) => a.source.localeCompare(b.source));
  const imported = new Set((input.stack.import ?? []).map((i) => i.to));
  const creations = news
    .filter((n) => !m.n2l.has(n.address))
    .map((n) => ({ address: n.address, type: n.type, imported: imported.has(n.address) }))
    .sort((a, b) => a.address.localeCompare(b.address));

  const { risks, unchecked } = assessRisks(m);
  const blockers = [...m.blockers];
  for (const target of imported) {
    if (m.n2l.has(target)) blockers.push(`${target} is both the target of ${m.n2l.get(target)} and of an import block: remove it from imports/`);
  }
  for (const e of entries) if (e.status === 'unmapped') blockers.push(`${e.source} is unmapped: ${e.reason}`);
  for (const r of risks) if (r.severity === 'BLOCKER') blockers.push(`${r.message}; fix: ${r.fix}`);
  const warnings = [...m.warnings, ...risks.filter((r) => r.severity === 'WARNING').map((r) => `${r.message}; fix: ${r.fix}`)];
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

/** Structural check of a moves.json read back from disk. */
export function validatePlanDocument(raw: unknown, origin: string): MovePlan {
  const problems: string[] = [];
  const p = raw as Partial<MovePlan>;
  if (typeof raw !== 'object' || raw === null) throw new Error(`${origin}: expected a JSON object`);
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
  if (problems.length > 0) throw new Error(`${origin}: not a move plan: ${problems.join('; ')}`);
  return raw as MovePlan;
}
