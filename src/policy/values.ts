/**
 * Reading synthesized Terraform JSON: blocks that appear as objects or arrays, literal versus
 * unresolved values (`${...}`), references between resources, and IAM-style policy documents.
 */
import { fail, pass, RuleOutcome, unknown } from './types';

export type Json = Record<string, unknown>;

/** True for a string that still holds a Terraform expression (`${var.x}`, `${aws_x.y.arn}`, `${jsonencode(...)}`). */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** A nested block as a list: cdk.tf.json writes single blocks as objects and repeated ones as arrays. */
export function blocks(value: unknown): Json[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v));
  if (typeof value === 'object') return [value as Json];
  return [];
}

export function firstBlock(value: unknown): Json | undefined {
  return blocks(value)[0];
}

/** A string-or-list attribute (IAM Action/Resource, CIDR lists) as a list of strings. */
export function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** Booleans may be synthesized as strings ("true"). */
export function asBool(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** `label` must be explicitly true: absent or false fails, an expression is unknown. */
export function requireTrue(value: unknown, label: string): RuleOutcome {
  if (asBool(value) === true) return pass();
  if (isExpression(value)) return unknown(`${label} is the unresolved expression ${value}`);
  return fail(`${label} is ${value === undefined ? 'not set' : JSON.stringify(value)}; it must be true`);
}

/** `label` must not be true (absent passes). */
export function requireNotTrue(value: unknown, label: string): RuleOutcome {
  if (isExpression(value)) return unknown(`${label} is the unresolved expression ${value}`);
  return asBool(value) === true ? fail(`${label} is true`) : pass();
}

/** `label` must equal one of `allowed` literally. */
export function requireOneOf(value: unknown, allowed: readonly (string | number)[], label: string): RuleOutcome {
  if (isExpression(value)) return unknown(`${label} is the unresolved expression ${value}`);
  if (allowed.includes(value as string | number)) return pass();
  const shown = allowed.length > 8 ? `${allowed.slice(0, 8).join(', ')}, ...` : allowed.join(', ');
  return fail(`${label} is ${value === undefined ? 'not set' : JSON.stringify(value)}; allowed: ${shown}`);
}

/** `label` must be set to a non-empty value (a reference counts). */
export function requireSet(value: unknown, label: string): RuleOutcome {
  if (value === undefined || value === null || value === '') return fail(`${label} is not set`);
  if (Array.isArray(value) && value.length === 0) return fail(`${label} is empty`);
  return pass();
}

const REFERENCE = /\$\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/** Every `type.name` a value refers to (data sources and variables excluded), in order of appearance. */
export function referencedAddresses(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(REFERENCE)) {
        if (m[1] !== 'var' && m[1] !== 'data' && m[1] !== 'local' && m[1] !== 'each' && m[1] !== 'count') out.push(`${m[1]}.${m[2]}`);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return out;
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

export type ParsedPolicy =
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly detail: string }
  | { readonly kind: 'parsed'; readonly statements: readonly PolicyStatement[] };

/**
 * Parses a policy document attribute. Literal JSON strings (with `${...}` references inside) parse;
 * `${jsonencode(...)}` or a data-source reference cannot be read, exactly like the scanners.
 */
export function parsePolicy(value: unknown, label: string): ParsedPolicy {
  if (value === undefined || value === null || value === '') return { kind: 'absent' };
  let doc: unknown = value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('${')) return { kind: 'unknown', detail: `${label} is the expression ${trimmed.slice(0, 60)}; emit literal JSON so it can be checked` };
    try {
      doc = JSON.parse(trimmed);
    } catch {
      return { kind: 'unknown', detail: `${label} is not valid JSON` };
    }
  }
  if (!doc || typeof doc !== 'object') return { kind: 'unknown', detail: `${label} is not a JSON object` };
  const statement = (doc as Json).Statement;
  const statements = Array.isArray(statement) ? statement : statement ? [statement] : [];
  return { kind: 'parsed', statements: statements as PolicyStatement[] };
}

/** Principal `*` or `{ AWS: '*' }` (any element). */
export function isPublicPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') {
    return Object.values(principal as Json).some((v) => strings(v).includes('*'));
  }
  return false;
}

export function hasCondition(s: PolicyStatement): boolean {
  return !!s.Condition && typeof s.Condition === 'object' && Object.keys(s.Condition as Json).length > 0;
}

export function isAllow(s: PolicyStatement): boolean {
  return (s.Effect ?? 'Allow') === 'Allow';
}

/** IAM action match with `*` / `?` wildcards, case-insensitive (`s3:Get*` matches `s3:GetObject`). */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

/** IPv4/IPv6 "anywhere" CIDRs. */
export function isInternetCidr(cidr: string): boolean {
  return cidr === '0.0.0.0/0' || cidr === '::/0';
}
