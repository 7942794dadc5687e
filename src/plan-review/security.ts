/**
 * IAM policy and security-group rule changes, compared as documents rather than as text: which
 * actions, resources, principals and network sources a change adds or removes. Broadening changes
 * (new permissions, wider sources or ports) are what a reviewer must see first.
 */
import { Mask } from './types';
import { childMask, embeddedJson } from './values';

export type SecuritySeverity = 'broadens' | 'changes' | 'narrows';

export interface SecurityFinding {
  readonly address: string;
  readonly category: 'iam' | 'security-group';
  readonly severity: SecuritySeverity;
  /** A broadening that reaches everyone: wildcard action/resource/principal, or a source of 0.0.0.0/0 or ::/0. */
  readonly high: boolean;
  /** What changed, one fact per line, most important first. */
  readonly details: readonly string[];
}

interface ChangeInput {
  readonly address: string;
  readonly type: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly afterUnknown: Mask | undefined;
  readonly sensitive: (text: string) => string;
}

const SEVERITY_ORDER: Record<SecuritySeverity, number> = { broadens: 0, changes: 1, narrows: 2 };

/** Broadening first (those reaching everyone before the rest), then other changes, then narrowing; by address. */
export function compareFindings(a: SecurityFinding, b: SecurityFinding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || Number(b.high) - Number(a.high) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
}

function asList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(asList);
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => asList(x).map((s) => `${k}:${s}`));
  return [String(v)];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------- IAM

interface PolicyFacts {
  /** `Allow` grants as `action on resource`, plus `NotAction`/`NotResource` spelled out. */
  readonly grants: Set<string>;
  readonly principals: Set<string>;
  readonly denies: Set<string>;
  conditions: number;
}

function policyFacts(doc: unknown): PolicyFacts {
  const facts: PolicyFacts = { grants: new Set(), principals: new Set(), denies: new Set(), conditions: 0 };
  if (!isObject(doc)) return facts;
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  for (const st of statements) {
    if (!isObject(st)) continue;
    const actions = [...asList(st.Action), ...asList(st.NotAction).map((a) => `everything except ${a}`)];
    const resources = [...asList(st.Resource), ...asList(st.NotResource).map((r) => `everything except ${r}`)];
    if (st.Condition && isObject(st.Condition)) facts.conditions += Object.keys(st.Condition).length;
    const target = st.Effect === 'Deny' ? facts.denies : facts.grants;
    for (const a of actions.length ? actions : ['(no action)']) for (const r of resources.length ? resources : ['(this resource)']) target.add(`${a} on ${r}`);
    if (st.Effect !== 'Deny') for (const p of asList(st.Principal)) facts.principals.add(p);
  }
  return facts;
}

const WILDCARD = /(^\*|:\*|everything except)/;
const PUBLIC_PRINCIPAL = /^(\*|AWS:\*)$/;
/** Managed policies that grant (nearly) everything. */
const POWERFUL_POLICY = /(AdministratorAccess|PowerUserAccess|IAMFullAccess|FullAccess)$/;

/** The policy documents of a resource: top-level `policy`, `*_policy` attributes and `inline_policy[].policy`. */
function policyDocuments(values: unknown, unknown: Mask | undefined, unchangedFrom?: unknown): { docs: Map<string, unknown>; unknownKeys: string[] } {
  const docs = new Map<string, unknown>();
  const unknownKeys: string[] = [];
  if (isObject(unknown)) for (const [k, u] of Object.entries(unknown)) if (u === true && /(^|_)policy$/.test(k)) unknownKeys.push(k);
  if (!isObject(values)) return { docs, unknownKeys };
  for (const [k, v] of Object.entries(values)) {
    if (/(^|_)policy$/.test(k) && typeof v === 'string' && !(isObject(unchangedFrom) && unchangedFrom[k] === v)) {
      const doc = embeddedJson(v);
      if (isObject(doc) && 'Statement' in doc) docs.set(k, doc);
    }
  }
  if (Array.isArray(values.inline_policy)) {
    values.inline_policy.forEach((p, i) => {
      if (!isObject(p)) return;
      const doc = embeddedJson(p.policy);
      if (isObject(doc)) docs.set(`inline_policy ${typeof p.name === 'string' ? p.name : i}`, doc);
      if (childMask(childMask(childMask(unknown, 'inline_policy'), i), 'policy') === true) unknownKeys.push(`inline_policy[${i}].policy`);
    });
  }
  return { docs, unknownKeys };
}

/**
 * Where a resource type lists attached managed policies: one ARN (`policy_arn` on the attachment
 * resources) or a list (`managed_policy_arns` on a role, `policy_arns` on the exclusive-attachment
 * resources). `optional`: the attribute is optional and computed, so unknown on create whether set or not.
 */
function managedPolicyAttribute(type: string): { key: string; optional: boolean } | undefined {
  if (/^aws_iam_(role|user|group)_policy_attachment$|^aws_iam_policy_attachment$/.test(type)) return { key: 'policy_arn', optional: false };
  if (/^aws_iam_(role|user|group)_policy_attachments_exclusive$/.test(type)) return { key: 'policy_arns', optional: false };
  if (type === 'aws_iam_role') return { key: 'managed_policy_arns', optional: true };
  return undefined;
}

interface IamLines {
  readonly added: string[];
  readonly unknown: string[];
  readonly removed: string[];
  high: boolean;
}

/** Managed policy ARNs attached and detached, broad ones (AdministratorAccess, ...FullAccess) first. */
function managedPolicyChanges(input: ChangeInput, lines: IamLines): void {
  const attr = managedPolicyAttribute(input.type);
  if (!attr) return;
  const arns = (v: unknown) => (isObject(v) ? asList(v[attr.key]).filter((a) => a !== '') : []);
  const before = new Set(arns(input.before));
  const after = new Set(arns(input.after));
  const attached = [...after].filter((a) => !before.has(a)).sort((x, y) => Number(POWERFUL_POLICY.test(y)) - Number(POWERFUL_POLICY.test(x)) || (x < y ? -1 : x > y ? 1 : 0));
  for (const a of attached) lines.added.push(`attaches ${input.sensitive(a)}`);
  if (attached.some((a) => POWERFUL_POLICY.test(a))) lines.high = true;
  const unknown = childMask(input.afterUnknown, attr.key);
  const partlyUnknown = Array.isArray(unknown) && unknown.includes(true);
  // An optional list unknown as a whole on create is usually just computed: only an existing resource's counts.
  if ((unknown === true && (!attr.optional || isObject(input.before))) || partlyUnknown) lines.unknown.push('attaches a policy known only after apply');
  else for (const b of [...before].sort()) if (!after.has(b)) lines.removed.push(`detaches ${input.sensitive(b)}`);
}

/** Policy documents compared statement by statement (see policyDocuments). */
function policyDocumentChanges(input: ChangeInput, lines: IamLines): void {
  const { type, before, after, afterUnknown, sensitive } = input;
  // Documents that are the same string before and after are not parsed at all.
  const b = policyDocuments(before, undefined, after);
  const a = policyDocuments(after, afterUnknown, before);
  // A computed policy attribute nobody set (e.g. on a new secret) is not worth a finding.
  const unknownKeys = a.unknownKeys.filter((k) => type.startsWith('aws_iam_') || b.docs.has(k));
  const keys = [...new Set([...b.docs.keys(), ...a.docs.keys()])].sort();
  for (const key of keys) {
    const fb = policyFacts(b.docs.get(key));
    const fa = policyFacts(a.docs.get(key));
    const label = keys.length > 1 || key !== 'policy' ? `${key}: ` : '';
    for (const g of fa.grants) if (!fb.grants.has(g)) {
      lines.added.push(`${label}allows ${sensitive(g)}`);
      if (WILDCARD.test(g) || / on \*$/.test(g)) lines.high = true;
    }
    for (const p of fa.principals) if (!fb.principals.has(p)) {
      lines.added.push(`${label}trusts principal ${sensitive(p)}`);
      if (PUBLIC_PRINCIPAL.test(p)) lines.high = true;
    }
    for (const d of fb.denies) if (!fa.denies.has(d)) lines.added.push(`${label}no longer denies ${sensitive(d)}`);
    if (fa.conditions < fb.conditions) lines.added.push(`${label}drops ${fb.conditions - fa.conditions} condition(s)`);
    for (const g of fb.grants) if (!fa.grants.has(g)) lines.removed.push(`${label}no longer allows ${sensitive(g)}`);
    for (const p of fb.principals) if (!fa.principals.has(p)) lines.removed.push(`${label}no longer trusts ${sensitive(p)}`);
    for (const d of fa.denies) if (!fb.denies.has(d)) lines.removed.push(`${label}denies ${sensitive(d)}`);
  }
  for (const k of unknownKeys) lines.unknown.push(`${k} is known only after apply: review the configuration that builds it`);
}

/**
 * Anything added (a managed policy attached, a permission, principal or condition gained) broadens;
 * otherwise something known only after apply is a change to review; otherwise removals narrow.
 */
function iamFinding(input: ChangeInput): SecurityFinding | undefined {
  const lines: IamLines = { added: [], unknown: [], removed: [], high: false };
  managedPolicyChanges(input, lines);
  policyDocumentChanges(input, lines);
  const { address } = input;
  const { added, unknown, removed, high } = lines;
  if (added.length > 0) return { address, category: 'iam', severity: 'broadens', high, details: [...added, ...unknown, ...removed] };
  if (unknown.length > 0) return { address, category: 'iam', severity: 'changes', high: false, details: [...unknown, ...removed] };
  if (removed.length > 0) return { address, category: 'iam', severity: 'narrows', high: false, details: removed };
  return undefined;
}

// ---------------------------------------------------------------------------------- security groups

interface Rule {
  readonly direction: 'ingress' | 'egress';
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly source: string;
}

const ALL_TRAFFIC = new Set(['-1', 'all']);
const INTERNET = new Set(['0.0.0.0/0', '::/0']);

function ruleKey(r: Rule): string {
  return `${r.direction} ${r.protocol} ${r.from}-${r.to} ${r.source}`;
}

function describeRule(r: Rule): string {
  const ports = ALL_TRAFFIC.has(r.protocol) ? 'all traffic' : r.from === r.to ? `${r.protocol}/${r.from}` : `${r.protocol}/${r.from}-${r.to}`;
  return `${r.direction} ${ports} ${r.direction === 'ingress' ? 'from' : 'to'} ${r.source}`;
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : fallback;
}

function rulesFrom(direction: 'ingress' | 'egress', block: Record<string, unknown>, sources: string[]): Rule[] {
  const protocol = String(block.protocol ?? block.ip_protocol ?? '-1').toLowerCase();
  const all = ALL_TRAFFIC.has(protocol);
  const from = all ? 0 : num(block.from_port, 0);
  const to = all ? 65535 : num(block.to_port, from);
  return sources.map((source) => ({ direction, protocol: all ? '-1' : protocol, from: from === -1 ? 0 : from, to: to === -1 ? 65535 : to, source }));
}

function blockSources(block: Record<string, unknown>): string[] {
  const s = [
    ...asList(block.cidr_blocks),
    ...asList(block.ipv6_cidr_blocks),
    ...asList(block.cidr_ipv4),
    ...asList(block.cidr_ipv6),
    ...asList(block.prefix_list_ids).map((p) => `prefix list ${p}`),
    ...asList(block.prefix_list_id).map((p) => `prefix list ${p}`),
    ...asList(block.security_groups).map((g) => `security group ${g}`),
    ...asList(block.source_security_group_id).map((g) => `security group ${g}`),
    ...asList(block.referenced_security_group_id).map((g) => `security group ${g}`),
  ];
  if (block.self === true) s.push('itself');
  return s;
}

function securityGroupRules(type: string, values: unknown): Rule[] | undefined {
  if (!isObject(values)) return [];
  switch (type) {
    case 'aws_security_group':
      return (['ingress', 'egress'] as const).flatMap((dir) =>
        (Array.isArray(values[dir]) ? (values[dir] as unknown[]) : []).filter(isObject).flatMap((b) => rulesFrom(dir, b, blockSources(b))),
      );
    case 'aws_security_group_rule':
      return rulesFrom(values.type === 'egress' ? 'egress' : 'ingress', values, blockSources(values));
    case 'aws_vpc_security_group_ingress_rule':
      return rulesFrom('ingress', values, blockSources(values));
    case 'aws_vpc_security_group_egress_rule':
      return rulesFrom('egress', values, blockSources(values));
    default:
      return undefined;
  }
}

function sgFinding(input: ChangeInput): SecurityFinding | undefined {
  const { address, type, before, after, afterUnknown } = input;
  const beforeRules = securityGroupRules(type, before);
  const afterRules = securityGroupRules(type, after);
  if (!beforeRules || !afterRules) return undefined;
  const unknownParts = ['ingress', 'egress', 'cidr_blocks', 'cidr_ipv4', 'from_port', 'to_port'].filter((k) => childMask(afterUnknown, k) === true);
  const bKeys = new Set(beforeRules.map(ruleKey));
  const aKeys = new Set(afterRules.map(ruleKey));
  const added = afterRules.filter((r) => !bKeys.has(ruleKey(r)));
  const removed = beforeRules.filter((r) => !aKeys.has(ruleKey(r)));
  const broad: string[] = [];
  const other: string[] = [];
  const narrowed: string[] = [];
  const consumed = new Set<Rule>();
  const sameTarget = (o: Rule, r: Rule) => o.direction === r.direction && o.source === r.source && (o.protocol === r.protocol || o.protocol === '-1' || r.protocol === '-1');
  let high = false;
  for (const r of added) {
    const widened = removed.find((o) => !consumed.has(o) && sameTarget(o, r) && r.from <= o.from && r.to >= o.to && (r.protocol === o.protocol || r.protocol === '-1'));
    const narrower = widened ? undefined : removed.find((o) => !consumed.has(o) && sameTarget(o, r) && o.from <= r.from && o.to >= r.to && (r.protocol === o.protocol || o.protocol === '-1'));
    if (narrower) {
      consumed.add(narrower);
      narrowed.push(`narrows ${describeRule(narrower)} to ${describeRule(r)}`);
      continue;
    }
    if (widened) consumed.add(widened);
    const open = INTERNET.has(r.source);
    const line = widened ? `widens ${describeRule(widened)} to ${describeRule(r)}` : `adds ${describeRule(r)}`;
    if (r.direction === 'ingress') {
      broad.push(open ? `${line} (open to the internet)` : line);
      if (open) high = true;
    } else if (widened || open) broad.push(line);
    else other.push(line);
  }
  for (const r of removed) if (!consumed.has(r)) narrowed.push(`removes ${describeRule(r)}`);
  const unknownLines = unknownParts.map((k) => `${k} is known only after apply`);
  // Internet-facing lines first.
  broad.sort((x, y) => Number(y.includes('internet')) - Number(x.includes('internet')));
  if (broad.length > 0) return { address, category: 'security-group', severity: 'broadens', high, details: [...broad, ...other, ...unknownLines, ...narrowed] };
  if (other.length > 0 || unknownLines.length > 0) return { address, category: 'security-group', severity: 'changes', high: false, details: [...other, ...unknownLines, ...narrowed] };
  if (narrowed.length > 0) return { address, category: 'security-group', severity: 'narrows', high: false, details: narrowed };
  return undefined;
}

/**
 * The IAM or security-group finding for one resource change, or undefined when the change touches
 * neither. `sensitive` scrubs sensitive strings out of the text (see Redactor.scrub).
 */
export function securityFinding(input: ChangeInput): SecurityFinding | undefined {
  return sgFinding(input) ?? iamFinding(input);
}

export type { ChangeInput as SecurityChangeInput };
