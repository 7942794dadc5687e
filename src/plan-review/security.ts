/**
 * IAM policy and security-group rule changes, compared as documents rather than as text: which
 * actions, resources, principals and network sources a change adds or removes. Broadening changes
 * (new permissions, wider sources or ports) are what a reviewer must see first.
 *
 * Values the plan marks sensitive (at any depth, before or after) are never analysed piecewise or
 * printed: a policy document sensitive on either side is compared on neither, a sensitive rule or
 * managed-policy ARN is left out of its set, and no removal is claimed from a set whose other side
 * hides members, so hiding never looks like removal. What is hidden is named instead, as a change to
 * review (severity at least `changes`); everything else is compared as usual.
 */
import { byAddress } from './actions';
import { Mask } from '../terraform-json/plan-types';
import { childMask, embeddedJson } from './values';
import { isObject } from '../terraform-json/json';

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
  /** The plan's `before_sensitive` / `after_sensitive` masks: the parts they mark are never read. */
  readonly beforeSensitive?: Mask;
  readonly afterSensitive?: Mask;
  readonly afterUnknown: Mask | undefined;
  readonly sensitive: (text: string) => string;
}

const SEVERITY_ORDER: Record<SecuritySeverity, number> = { broadens: 0, changes: 1, narrows: 2 };

/** Broadening first (those reaching everyone before the rest), then other changes, then narrowing; by address. */
export function compareFindings(a: SecurityFinding, b: SecurityFinding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || Number(b.high) - Number(a.high) || byAddress(a, b);
}

/** Stands in for a value the plan marks sensitive: never parsed, compared or printed. */
const HIDDEN: unique symbol = Symbol('sensitive');

/**
 * A copy of `values` with every part `mask` marks sensitive, at any depth, replaced by {@link HIDDEN}
 * (not removed: the analysis must tell hidden from absent). Only copies as deep as the mask reaches.
 */
function hideSensitive(values: unknown, mask: Mask | undefined): unknown {
  if (mask === true) return values === undefined ? undefined : HIDDEN;
  if (values === null || typeof values !== 'object' || mask === null || typeof mask !== 'object') return values;
  if (!Object.values(mask).some((m) => m === true || (m !== null && typeof m === 'object'))) return values;
  if (Array.isArray(values)) return values.map((v, i) => hideSensitive(v, childMask(mask, i)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = hideSensitive(v, childMask(mask, k));
  return out;
}

/** Whether any part of `v` is sensitive. */
function hides(v: unknown): boolean {
  if (v === HIDDEN) return true;
  if (v === null || typeof v !== 'object') return false;
  return (Array.isArray(v) ? v : Object.values(v)).some(hides);
}

/** The line that stands for sensitive content: it says what is hidden, never what it holds. */
function sensitiveLine(names: readonly string[], inPart = false): string {
  const one = names.length === 1;
  return `${names.join(', ')} ${one ? 'is' : 'are'} sensitive${inPart ? ' in part' : ''}: ${one ? 'its' : 'their'} content cannot be shown or compared; review ${one ? 'it' : 'them'} in the configuration`;
}

/** String leaves of `v` (objects as `key:leaf`); sensitive parts yield nothing. */
function asList(v: unknown): string[] {
  if (v === undefined || v === null || v === HIDDEN) return [];
  if (Array.isArray(v)) return v.flatMap(asList);
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => asList(x).map((s) => `${k}:${s}`));
  return [String(v)];
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

/** Attributes holding policy documents: `policy`, `*_policy` (`assume_role_policy`, ...), `access_policies` (OpenSearch). */
const POLICY_KEY = /(^|_)polic(y|ies)$/;

interface PolicyDocuments {
  readonly docs: Map<string, unknown>;
  readonly unknownKeys: string[];
  /** Documents holding something sensitive, by the key `docs` would use; `inline_policy` alone: every inline policy (their names are hidden). */
  readonly hidden: Set<string>;
}

/** The policy documents of a resource: top-level `policy`, `*_policy` attributes and `inline_policy[].policy`. */
function policyDocuments(values: unknown, unknown: Mask | undefined, unchangedFrom?: unknown): PolicyDocuments {
  const found: PolicyDocuments = { docs: new Map(), unknownKeys: [], hidden: new Set() };
  const { docs, unknownKeys, hidden } = found;
  if (isObject(unknown)) for (const [k, u] of Object.entries(unknown)) if (u === true && POLICY_KEY.test(k)) unknownKeys.push(k);
  if (!isObject(values)) return found;
  for (const [k, v] of Object.entries(values)) {
    if (!POLICY_KEY.test(k)) continue;
    if (v === HIDDEN) hidden.add(k);
    else if (typeof v === 'string' && !(isObject(unchangedFrom) && unchangedFrom[k] === v)) {
      const doc = embeddedJson(v);
      if (isObject(doc) && 'Statement' in doc) docs.set(k, doc);
    }
  }
  const inline = values.inline_policy;
  if (inline === HIDDEN || (Array.isArray(inline) && inline.some((p) => p === HIDDEN || (isObject(p) && hides(p.name))))) {
    hidden.add('inline_policy');
  } else if (Array.isArray(inline)) {
    inline.forEach((p, i) => {
      if (!isObject(p)) return;
      const key = `inline_policy ${typeof p.name === 'string' ? p.name : i}`;
      if (hides(p.policy)) hidden.add(key);
      const doc = embeddedJson(p.policy);
      if (isObject(doc)) docs.set(key, doc);
      if (childMask(childMask(childMask(unknown, 'inline_policy'), i), 'policy') === true) unknownKeys.push(`inline_policy[${i}].policy`);
    });
  }
  return found;
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
  readonly hidden: string[];
  readonly unknown: string[];
  readonly removed: string[];
  high: boolean;
}

/**
 * Managed policy ARNs attached and detached, broad ones (AdministratorAccess, ...FullAccess) first.
 * Sensitive ARNs are named, not compared: no detach is claimed while the new list is partly hidden
 * (the ARN may be among the hidden ones); attaches are still listed, although one may have been
 * among the old list's hidden ARNs (better a broadening to check than one missed).
 */
function managedPolicyChanges(input: ChangeInput, lines: IamLines): void {
  const attr = managedPolicyAttribute(input.type);
  if (!attr) return;
  const field = (v: unknown) => (isObject(v) ? v[attr.key] : undefined);
  const arns = (v: unknown) => asList(field(v)).filter((a) => a !== '');
  const hiddenBefore = hides(field(input.before));
  const hiddenAfter = hides(field(input.after));
  if (hiddenBefore || hiddenAfter) lines.hidden.push(sensitiveLine([attr.key], field(input.before) !== HIDDEN && field(input.after) !== HIDDEN));
  const before = new Set(arns(input.before));
  const after = new Set(arns(input.after));
  const attached = [...after].filter((a) => !before.has(a)).sort((x, y) => Number(POWERFUL_POLICY.test(y)) - Number(POWERFUL_POLICY.test(x)) || (x < y ? -1 : x > y ? 1 : 0));
  for (const a of attached) lines.added.push(`attaches ${input.sensitive(a)}`);
  if (attached.some((a) => POWERFUL_POLICY.test(a))) lines.high = true;
  const unknown = childMask(input.afterUnknown, attr.key);
  const partlyUnknown = Array.isArray(unknown) && unknown.includes(true);
  // An optional list unknown as a whole on create is usually just computed: only an existing resource's counts.
  if ((unknown === true && (!attr.optional || isObject(input.before))) || partlyUnknown) lines.unknown.push('attaches a policy known only after apply');
  else if (!hiddenAfter) for (const b of [...before].sort()) if (!after.has(b)) lines.removed.push(`detaches ${input.sensitive(b)}`);
}

/**
 * Policy documents compared statement by statement (see policyDocuments). A document sensitive on
 * either side is compared on neither: named once instead.
 */
function policyDocumentChanges(input: ChangeInput, lines: IamLines): void {
  const { type, before, after, afterUnknown, sensitive } = input;
  // Documents that are the same string before and after are not parsed at all.
  const b = policyDocuments(before, undefined, after);
  const a = policyDocuments(after, afterUnknown, before);
  const allHidden = new Set([...b.hidden, ...a.hidden]);
  const hiddenIn = (side: PolicyDocuments, k: string) => side.hidden.has(k) || (side.hidden.has('inline_policy') && k.startsWith('inline_policy'));
  const isHidden = (k: string) => hiddenIn(b, k) || hiddenIn(a, k);
  // A computed or sensitive policy attribute on a non-IAM resource is only worth a finding where it is a resource policy.
  const relevant = (k: string) => type.startsWith('aws_iam_') || k === 'policy' || b.docs.has(k) || a.docs.has(k);
  const hiddenKeys = [...allHidden].filter(relevant).sort();
  const unknownKeys = a.unknownKeys.filter((k) => (type.startsWith('aws_iam_') || b.docs.has(k)) && !isHidden(k.split('[')[0]));
  const keys = [...new Set([...b.docs.keys(), ...a.docs.keys()])].filter((k) => !isHidden(k)).sort();
  for (const key of keys) {
    const fb = policyFacts(b.docs.get(key));
    const fa = policyFacts(a.docs.get(key));
    const label = keys.length + hiddenKeys.length > 1 || key !== 'policy' ? `${key}: ` : '';
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
  // Sensitive before, visible now: nothing can be compared, but every grant and principal the new
  // document has may be new. Listed as additions (a broadening to check rather than one missed);
  // no removal is claimed.
  for (const key of [...a.docs.keys()].filter((k) => hiddenIn(b, k) && !hiddenIn(a, k)).sort()) {
    const fa = policyFacts(a.docs.get(key));
    for (const g of fa.grants) {
      lines.added.push(`${key}: allows ${sensitive(g)} (the previous document is sensitive)`);
      if (WILDCARD.test(g) || / on \*$/.test(g)) lines.high = true;
    }
    for (const p of fa.principals) {
      lines.added.push(`${key}: trusts principal ${sensitive(p)} (the previous document is sensitive)`);
      if (PUBLIC_PRINCIPAL.test(p)) lines.high = true;
    }
  }
  for (const k of hiddenKeys) lines.hidden.push(sensitiveLine([k]));
  for (const k of unknownKeys) lines.unknown.push(`${k} is known only after apply: review the configuration that builds it`);
}

/**
 * Anything added (a managed policy attached, a permission, principal or condition gained) broadens;
 * otherwise something sensitive or known only after apply is a change to review; otherwise removals narrow.
 */
function iamFinding(input: ChangeInput): SecurityFinding | undefined {
  const lines: IamLines = { added: [], hidden: [], unknown: [], removed: [], high: false };
  managedPolicyChanges(input, lines);
  policyDocumentChanges(input, lines);
  const { address } = input;
  const { added, hidden, unknown, removed, high } = lines;
  if (added.length > 0) return { address, category: 'iam', severity: 'broadens', high, details: [...added, ...hidden, ...unknown, ...removed] };
  if (hidden.length > 0 || unknown.length > 0) return { address, category: 'iam', severity: 'changes', high: false, details: [...hidden, ...unknown, ...removed] };
  if (removed.length > 0) return { address, category: 'iam', severity: 'narrows', high: false, details: removed };
  return undefined;
}

// ---------------------------------------------------------------------------------- security groups

type Direction = 'ingress' | 'egress';

interface Rule {
  readonly direction: Direction;
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly source: string;
}

const ALL_TRAFFIC = new Set(['-1', 'all']);
const INTERNET = new Set(['0.0.0.0/0', '::/0']);
/** The attributes of a rule (block or resource) that say what it lets through. */
const RULE_FIELDS = [
  'type',
  'protocol',
  'ip_protocol',
  'from_port',
  'to_port',
  'cidr_blocks',
  'ipv6_cidr_blocks',
  'cidr_ipv4',
  'cidr_ipv6',
  'prefix_list_ids',
  'prefix_list_id',
  'security_groups',
  'source_security_group_id',
  'referenced_security_group_id',
  'self',
] as const;

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

function rulesFrom(direction: Direction, block: Record<string, unknown>, sources: string[]): Rule[] {
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

/** The rules one side of a change lets through, and the directions where some rule holds something sensitive (not read). */
interface SideRules {
  readonly rules: Rule[];
  readonly hidden: Set<Direction>;
  /** What is sensitive, for the finding: rule attribute names, or `ingress`/`egress` (whole or `in part`). */
  readonly hiddenNames: Set<string>;
  wholeHidden: boolean;
}

/** A rule block or rule resource: its rules, or none and its direction(s) marked hidden when a rule attribute is sensitive. */
function addRules(side: SideRules, directions: readonly Direction[], values: Record<string, unknown>, name?: string): void {
  const hiddenFields = RULE_FIELDS.filter((f) => hides(values[f]));
  if (hiddenFields.length === 0) {
    side.rules.push(...rulesFrom(directions[0], values, blockSources(values)));
    return;
  }
  for (const d of directions) side.hidden.add(d);
  for (const n of name === undefined ? hiddenFields : [name]) side.hiddenNames.add(n);
}

function securityGroupRules(type: string, values: unknown): SideRules | undefined {
  const side: SideRules = { rules: [], hidden: new Set(), hiddenNames: new Set(), wholeHidden: false };
  // Created or destroyed: this side has no rules (the other side says whether the type is one).
  if (!isObject(values)) return side;
  switch (type) {
    case 'aws_security_group':
      for (const dir of ['ingress', 'egress'] as const) {
        const blocks = values[dir];
        if (blocks === HIDDEN) {
          side.hidden.add(dir);
          side.hiddenNames.add(dir);
          side.wholeHidden = true;
        } else if (Array.isArray(blocks)) {
          for (const b of blocks) {
            if (b === HIDDEN) {
              side.hidden.add(dir);
              side.hiddenNames.add(dir);
            } else if (isObject(b)) addRules(side, [dir], b, dir);
          }
        }
      }
      return side;
    case 'aws_security_group_rule':
      addRules(side, hides(values.type) ? ['ingress', 'egress'] : [values.type === 'egress' ? 'egress' : 'ingress'], values);
      return side;
    case 'aws_vpc_security_group_ingress_rule':
      addRules(side, ['ingress'], values);
      return side;
    case 'aws_vpc_security_group_egress_rule':
      addRules(side, ['egress'], values);
      return side;
    default:
      return undefined;
  }
}

/** The line naming what is sensitive on either side of a security-group change. */
function sgHiddenLine(type: string, b: SideRules, a: SideRules): string[] {
  const names = [...new Set([...b.hiddenNames, ...a.hiddenNames])];
  if (names.length === 0) return [];
  if (type !== 'aws_security_group') return [sensitiveLine(RULE_FIELDS.filter((f) => names.includes(f)))];
  // A whole ingress/egress list sensitive, or some of its rules.
  return [sensitiveLine((['ingress', 'egress'] as const).filter((d) => names.includes(d)), !b.wholeHidden && !a.wholeHidden)];
}

/**
 * Rules compared as sets per direction. Rules with a sensitive part are named, not compared: no
 * removal is claimed in a direction where the new rules are partly hidden (the rule may be among the
 * hidden ones); additions are still listed, although one may have been among the old hidden rules
 * (better a broadening to check than one missed).
 */
function sgFinding(input: ChangeInput): SecurityFinding | undefined {
  const { address, type, before, after, afterUnknown } = input;
  const b = securityGroupRules(type, before);
  const a = securityGroupRules(type, after);
  if (!b || !a) return undefined;
  const unknownParts = ['ingress', 'egress', 'cidr_blocks', 'cidr_ipv4', 'from_port', 'to_port'].filter((k) => childMask(afterUnknown, k) === true);
  const bKeys = new Set(b.rules.map(ruleKey));
  const aKeys = new Set(a.rules.map(ruleKey));
  const added = a.rules.filter((r) => !bKeys.has(ruleKey(r)));
  const removed = b.rules.filter((r) => !aKeys.has(ruleKey(r)) && !a.hidden.has(r.direction));
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
  const hiddenLines = sgHiddenLine(type, b, a);
  const unknownLines = unknownParts.map((k) => `${k} is known only after apply`);
  // Internet-facing lines first.
  broad.sort((x, y) => Number(y.includes('internet')) - Number(x.includes('internet')));
  if (broad.length > 0) return { address, category: 'security-group', severity: 'broadens', high, details: [...broad, ...other, ...hiddenLines, ...unknownLines, ...narrowed] };
  if (other.length > 0 || hiddenLines.length > 0 || unknownLines.length > 0)
    return { address, category: 'security-group', severity: 'changes', high: false, details: [...other, ...hiddenLines, ...unknownLines, ...narrowed] };
  if (narrowed.length > 0) return { address, category: 'security-group', severity: 'narrows', high: false, details: narrowed };
  return undefined;
}

/**
 * The IAM or security-group finding for one resource change, or undefined when the change touches
 * neither. The parts `beforeSensitive`/`afterSensitive` mark are hidden before anything is read, and
 * every detail line goes through `sensitive`, which scrubs known sensitive strings out of the text
 * (see Redactor.scrub).
 */
export function securityFinding(input: ChangeInput): SecurityFinding | undefined {
  const hidden: ChangeInput = { ...input, before: hideSensitive(input.before, input.beforeSensitive), after: hideSensitive(input.after, input.afterSensitive) };
  const finding = sgFinding(hidden) ?? iamFinding(hidden);
  return finding && { ...finding, details: finding.details.map((d) => input.sensitive(d)) };
}

export type { ChangeInput as SecurityChangeInput };
