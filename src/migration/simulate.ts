/**
 * `migrate simulate`: the plan applied to a copy of the legacy state in pure TypeScript, the way
 * `terraform state mv` / `state rm` would, so reviewers see the resulting addresses before anything
 * is touched, and `terraform plan` can run against the result.
 */
import { parseAddress } from './address';
import { MovePlan } from './planner';
import { instanceAddress, StateInstance, StateResource, TerraformState } from './state';

export class SimulationError extends Error {}

function findInstance(state: TerraformState, address: string): { resource: StateResource; index: number } | undefined {
  for (const r of state.resources) {
    if (r.mode !== 'managed') continue;
    const index = r.instances.findIndex((i) => instanceAddress(r, i.index_key) === address);
    if (index >= 0) return { resource: r, index };
  }
  return undefined;
}

function takeInstance(state: TerraformState, address: string): { resource: StateResource; instance: StateInstance } {
  const found = findInstance(state, address);
  if (!found) throw new SimulationError(`${address} is not in the state (was the plan made against another state?)`);
  const [instance] = found.resource.instances.splice(found.index, 1);
  if (found.resource.instances.length === 0) state.resources.splice(state.resources.indexOf(found.resource), 1);
  return { resource: found.resource, instance };
}

/** Moves one instance, possibly from an indexed to a non-indexed address (as `terraform state mv` does). */
export function moveInstance(state: TerraformState, from: string, to: string): void {
  if (from === to) return;
  const target = parseAddress(to);
  if (!target || target.mode !== 'managed') throw new SimulationError(`${to} is not a managed resource instance address`);
  if (findInstance(state, to)) throw new SimulationError(`cannot move ${from}: ${to} already exists in the state`);
  const { resource, instance } = takeInstance(state, from);
  if (resource.type !== target.type) throw new SimulationError(`cannot move ${from} to ${to}: resource types differ`);
  const moved: StateInstance = { ...instance };
  if (target.key === undefined) delete moved.index_key;
  else moved.index_key = target.key;
  let dest = state.resources.find((r) => r.mode === 'managed' && (r.module ?? '') === target.module && r.type === target.type && r.name === target.name);
  if (!dest) {
    dest = { ...(target.module ? { module: target.module } : {}), mode: 'managed', type: target.type, name: target.name, provider: resource.provider, instances: [] };
    state.resources.push(dest);
  }
  dest.instances.push(moved);
}

export interface SimulationResult {
  readonly state: TerraformState;
  /** Managed addresses after the moves, sorted. */
  readonly addresses: readonly string[];
}

/**
 * Applies moves (`moved`), keeps (`kept`) and retirements (`retired`: removed from the state) to a
 * deep copy of `legacy`; bumps the serial once, keeps the lineage. Refuses plans made against a
 * different lineage.
 */
export function simulate(plan: MovePlan, legacy: TerraformState): SimulationResult {
  if (legacy.lineage !== plan.legacyState.lineage) {
    throw new SimulationError(`the state's lineage ${legacy.lineage} is not the plan's ${plan.legacyState.lineage}: this plan was made for another state`);
  }
  const state = JSON.parse(JSON.stringify(legacy)) as TerraformState;
  const moves = plan.entries.filter((e) => e.status === 'moved' && e.target);
  // Two-phase through temporary names, so that swaps and chains (a -> b, b -> c) cannot collide.
  const parked = moves.map((e, i) => {
    const src = parseAddress(e.source)!;
    const tmp = `${src.type}.zz_migrate_tmp_${i}`;
    moveInstance(state, e.source, tmp);
    return { tmp, to: e.target! };
  });
  for (const p of parked) moveInstance(state, p.tmp, p.to);
  for (const e of plan.entries.filter((x) => x.status === 'retired')) takeInstance(state, e.source);
  state.serial = legacy.serial + 1;
  const addresses = state.resources
    .filter((r) => r.mode === 'managed')
    .flatMap((r) => r.instances.map((i) => instanceAddress(r, i.index_key)))
    .sort();
  return { state, addresses };
}
