/** Test helpers: evaluate one rule on Terraform JSON fixtures, the way the pack does. */
import { StackModel, TerraformDocument } from '../../src/policy/model';
import { ALL_RULES } from '../../src/policy/rules';
import { inspects, Rule, RuleOutcome } from '../../src/policy/types';
import { Json } from '../../src/policy/values';

export type Resources = Record<string, Record<string, Json>>;

export function ruleById(id: string): Rule {
  const rule = ALL_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** Merges resource maps (later wins per address). */
export function merge(...docs: Resources[]): Resources {
  const out: Resources = {};
  for (const d of docs) for (const [type, byName] of Object.entries(d)) out[type] = { ...(out[type] ?? {}), ...byName };
  return out;
}

export function evaluate(id: string, address: string, resources: Resources, options: { production?: boolean; provider?: TerraformDocument['provider'] } = {}): RuleOutcome {
  const stack = new StackModel('test', options.production ?? false, { resource: resources, provider: options.provider });
  const target = stack.get(address);
  if (!target) throw new Error(`fixture has no ${address}`);
  const rule = ruleById(id);
  if (!inspects(rule, target.type)) throw new Error(`${id} does not inspect ${target.type}`);
  return rule.evaluate(target, stack);
}

export const ref = (address: string, attr = 'id'): string => `\${${address}.${attr}}`;
export const policy = (...statements: Json[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
