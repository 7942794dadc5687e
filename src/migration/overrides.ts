/**
 * The overrides file: decisions a human made that the planner must follow before any inference.
 *
 * ```json
 * {
 *   "moves":      [{ "from": "aws_iam_role_policy.ecs_task_s3", "to": "aws_iam_role_policy.service_task_s3", "reason": "renamed" }],
 *   "positional": [{ "from": "aws_subnet.public", "to": ["aws_subnet.network_public_a", "aws_subnet.network_public_b"] }],
 *   "retire":     [{ "address": "aws_iam_role_policy.ecs_task_s3", "reason": "replaced by the bucket-scoped policy" }]
 * }
 * ```
 * `positional` pairs a count-expanded legacy resource's instances `[0]`, `[1]`, ... with the listed
 * addresses in order. `retire` removes an instance from Terraform's management without destroying it
 * (`removed` block with `destroy = false`, or `terraform state rm`).
 */
import * as fs from 'node:fs';
import { parseAddress } from '../terraform-json/address';
import { isObject } from '../terraform-json/json';
import { InfraError } from '../errors';

export interface MoveOverride {
  readonly from: string;
  readonly to: string;
  readonly reason?: string;
}
export interface PositionalOverride {
  readonly from: string;
  readonly to: readonly string[];
}
export interface RetireOverride {
  readonly address: string;
  readonly reason: string;
}
export interface Overrides {
  readonly moves: readonly MoveOverride[];
  readonly positional: readonly PositionalOverride[];
  readonly retire: readonly RetireOverride[];
}

export const EMPTY_OVERRIDES: Overrides = { moves: [], positional: [], retire: [] };

export class OverridesError extends InfraError {
  constructor(readonly problems: readonly string[], origin: string) {
    super(`${origin}: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}


/** Checks the shape of an overrides document; every problem names its field. */
export function validateOverrides(raw: unknown, origin = 'overrides'): Overrides {
  const problems: string[] = [];
  if (!isObject(raw)) throw new OverridesError(['expected a JSON object with "moves", "positional" and/or "retire"'], origin);
  for (const key of Object.keys(raw)) {
    if (!['moves', 'positional', 'retire', '$comment'].includes(key)) problems.push(`${key}: unknown field (allowed: moves, positional, retire)`);
  }
  const list = (key: string): unknown[] => {
    const v = raw[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      problems.push(`${key}: expected a list`);
      return [];
    }
    return v;
  };
  const address = (field: string, v: unknown, allowKey = true): string | undefined => {
    if (typeof v !== 'string' || v === '') {
      problems.push(`${field}: expected a resource address string`);
      return undefined;
    }
    const parsed = parseAddress(v);
    if (!parsed || parsed.mode !== 'managed') problems.push(`${field}: "${v}" is not a managed resource instance address (e.g. aws_subnet.public[0], module.x.aws_vpc.this)`);
    else if (!allowKey && parsed.key !== undefined) problems.push(`${field}: "${v}" must be a resource address without an instance key`);
    return v;
  };
  const checkKeys = (field: string, o: Record<string, unknown>, allowed: string[]) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${field}.${k}: unknown field (allowed: ${allowed.join(', ')})`);
  };

  const moves: MoveOverride[] = [];
  list('moves').forEach((m, i) => {
    const f = `moves[${i}]`;
    if (!isObject(m)) {
      problems.push(`${f}: expected an object with "from" and "to"`);
      return;
    }
    checkKeys(f, m, ['from', 'to', 'reason']);
    const from = address(`${f}.from`, m.from);
    const to = address(`${f}.to`, m.to);
    if (m.reason !== undefined && typeof m.reason !== 'string') problems.push(`${f}.reason: expected a string`);
    if (from && to) moves.push({ from, to, reason: m.reason as string | undefined });
  });
  const positional: PositionalOverride[] = [];
  list('positional').forEach((p, i) => {
    const f = `positional[${i}]`;
    if (!isObject(p)) {
      problems.push(`${f}: expected an object with "from" and "to"`);
      return;
    }
    checkKeys(f, p, ['from', 'to']);
    const from = address(`${f}.from`, p.from, false);
    if (!Array.isArray(p.to) || p.to.length === 0) {
      problems.push(`${f}.to: expected a non-empty list of addresses`);
      return;
    }
    const to = p.to.map((t, j) => address(`${f}.to[${j}]`, t));
    if (from && to.every((t) => t)) positional.push({ from, to: to as string[] });
  });
  const retire: RetireOverride[] = [];
  list('retire').forEach((r, i) => {
    const f = `retire[${i}]`;
    if (!isObject(r)) {
      problems.push(`${f}: expected an object with "address" and "reason"`);
      return;
    }
    checkKeys(f, r, ['address', 'reason']);
    const a = address(`${f}.address`, r.address);
    if (typeof r.reason !== 'string' || r.reason.trim() === '') problems.push(`${f}.reason: required (say why the resource leaves Terraform's management)`);
    else if (a) retire.push({ address: a, reason: r.reason });
  });

  const sources = new Map<string, string>();
  const claim = (addr: string, field: string) => {
    const prev = sources.get(addr);
    if (prev) problems.push(`${field}: "${addr}" is already decided by ${prev}`);
    else sources.set(addr, field);
  };
  moves.forEach((m, i) => claim(m.from, `moves[${i}].from`));
  retire.forEach((r, i) => claim(r.address, `retire[${i}].address`));
  const targets = new Map<string, string>();
  const target = (addr: string, field: string) => {
    const prev = targets.get(addr);
    if (prev) problems.push(`${field}: target "${addr}" is already the target of ${prev} (never two sources to one target)`);
    else targets.set(addr, field);
  };
  moves.forEach((m, i) => target(m.to, `moves[${i}].to`));
  positional.forEach((p, i) => p.to.forEach((t, j) => target(t, `positional[${i}].to[${j}]`)));

  if (problems.length > 0) throw new OverridesError(problems, origin);
  return { moves, positional, retire };
}

export function readOverrides(file: string): Overrides {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new OverridesError([`cannot read as JSON: ${(err as Error).message}`], file);
  }
  return validateOverrides(raw, file);
}
