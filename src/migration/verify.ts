/**
 * `migrate verify`: reads the final states and proves that every legacy instance of the plan exists
 * exactly once: at its new address in the target state (with the id it had at planning time), or
 * nowhere when it was retired. Anything left behind or duplicated is listed.
 */
import { MovePlan } from './planner';
import { managedByAddress, TerraformState } from '../terraform-json/state';

export interface VerifyResult {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly checked: number;
}

export function verifyMigration(plan: MovePlan, from: TerraformState, to: TerraformState | undefined, separate: boolean): VerifyResult {
  const fromMap = managedByAddress(from);
  const toMap = separate ? managedByAddress(to) : fromMap;
  const problems: string[] = [];
  let checked = 0;
  const expectedTargets = new Set<string>();
  for (const e of plan.entries) {
    if (e.status === 'data-source') continue;
    checked++;
    if (e.status === 'unmapped') {
      problems.push(`${e.source}: unmapped in the plan (decide before migrating)`);
      continue;
    }
    if (e.status === 'retired') {
      if (fromMap.has(e.source)) problems.push(`${e.source}: retired but still in ${separate ? 'the legacy state' : 'the state'}`);
      if (separate && toMap.has(e.source)) problems.push(`${e.source}: retired but present in the new state`);
      continue;
    }
    const target = e.target!;
    expectedTargets.add(target);
    const dst = toMap.get(target);
    if (!dst) problems.push(`${e.source}: missing at ${target} in the ${separate ? 'new ' : ''}state`);
    else if (e.id !== undefined && String(dst.attributes.id) !== e.id) problems.push(`${target}: holds id ${String(dst.attributes.id)}, expected ${e.id} (from ${e.source})`);
    const stillThere = separate ? fromMap.has(e.source) : e.source !== target && fromMap.has(e.source);
    if (stillThere) problems.push(`${e.source}: still in the ${separate ? 'legacy ' : ''}state (duplicated: also at ${target})`);
  }
  // The same object at two addresses (ids that the plan knows as unique).
  const idCount = new Map<string, number>();
  for (const e of plan.entries) if (e.id !== undefined && e.status !== 'data-source') idCount.set(`${e.type}|${e.id}`, (idCount.get(`${e.type}|${e.id}`) ?? 0) + 1);
  const seen = new Map<string, string[]>();
  const all = separate ? [...fromMap.values(), ...toMap.values()] : [...fromMap.values()];
  for (const inst of all) {
    const key = `${inst.type}|${String(inst.attributes.id)}`;
    if (idCount.get(key) !== 1) continue;
    seen.set(key, [...(seen.get(key) ?? []), inst.address]);
  }
  for (const [key, addrs] of seen) if (addrs.length > 1) problems.push(`${key.split('|')[0]} id ${key.split('|')[1]} is held by ${addrs.length} addresses: ${addrs.sort().join(', ')}`);
  if (separate) {
    const known = new Set(plan.entries.map((e) => e.source));
    for (const addr of fromMap.keys()) if (!known.has(addr)) problems.push(`${addr}: in the legacy state but not in the plan`);
  }
  return { ok: problems.length === 0, problems: [...new Set(problems)].sort(), checked };
}
