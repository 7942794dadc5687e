/**
 * `migrate simulate`: the plan applied to a copy of the legacy state in pure TypeScript, the way
 * `terraform state mv` / `state rm` would, so reviewers see the resulting addresses before anything
 * is touched, and `terraform plan` can run against the result. {@link rewriteStates} is also the
 * engine of `migrate apply` (one in-memory rewrite instead of one `state mv` per instance).
 */
import { randomUUID } from 'node:crypto';
import { parseAddress } from '../terraform-json/address';
import { MovePlan } from './planner';
import { instanceAddress, StateInstance, StateResource, TerraformState } from '../terraform-json/state';
import { InfraError } from '../errors';

export class SimulationError extends InfraError {}

/** One instance leaving its address: to `target`, or out of the state(s) when `target` is undefined. */
export interface RewriteStep {
  readonly source: string;
  readonly target?: string;
}

/** An empty v4 state for a destination that does not exist yet (as `state mv -state-out` would create). */
function newState(like: TerraformState): TerraformState {
  return { version: 4, terraform_version: like.terraform_version, serial: 0, lineage: randomUUID(), outputs: {}, resources: [], check_results: null };
}

interface Located {
  readonly resource: StateResource;
  readonly instance: StateInstance;
}

/** Managed instances of a state by address, pointing into the state's own objects. */
function locate(state: TerraformState): Map<string, Located> {
  const map = new Map<string, Located>();
  for (const resource of state.resources) {
    if (resource.mode !== 'managed') continue;
    for (const instance of resource.instances) map.set(instanceAddress(resource, instance.index_key), { resource, instance });
  }
  return map;
}

/**
 * The states after the steps, computed in memory in one pass (the inputs are not changed): what the
 * equivalent `terraform state mv` / `state rm` commands leave, count instances moved to
 * non-indexed addresses and back, swaps and chains included (every source leaves before any
 * target is taken). Each changed state's serial is raised by one; `to` undefined in separate mode
 * is a new state (new lineage). Linear in instances.
 */
export function rewriteStates(from: TerraformState, to: TerraformState | undefined, steps: readonly RewriteStep[], separate: boolean): { from: TerraformState; to?: TerraformState } {
  const src = JSON.parse(JSON.stringify(from)) as TerraformState;
  const dst = separate ? (JSON.parse(JSON.stringify(to ?? newState(from))) as TerraformState) : src;
  const srcIndex = locate(src);
  const removed = new Set<StateInstance>();
  const arriving: { source: string; target: string; resource: StateResource; instance: StateInstance }[] = [];
  for (const s of steps) {
    const found = srcIndex.get(s.source);
    if (!found || removed.has(found.instance)) throw new SimulationError(`${s.source} is not in the state (was the plan made against another state?)`);
    removed.add(found.instance);
    if (s.target !== undefined) arriving.push({ source: s.source, target: s.target, resource: found.resource, instance: found.instance });
  }
  const keep = (r: StateResource): StateResource => ({ ...r, instances: r.instances.filter((i) => !removed.has(i)) });
  src.resources = src.resources.map(keep).filter((r) => r.instances.length > 0 || r.mode !== 'managed');
  const byResource = new Map<string, StateResource>();
  const taken = new Set<string>();
  for (const r of dst.resources) {
    if (r.mode !== 'managed') continue;
    byResource.set(`${r.module ?? ''}|${r.type}|${r.name}`, r);
    for (const i of r.instances) taken.add(instanceAddress(r, i.index_key));
  }
  for (const a of arriving) {
    const t = parseAddress(a.target);
    if (!t || t.mode !== 'managed') throw new SimulationError(`${a.target} is not a managed resource instance address`);
    if (t.type !== a.resource.type) throw new SimulationError(`cannot move ${a.source} to ${a.target}: resource types differ`);
    if (taken.has(a.target)) throw new SimulationError(`cannot move ${a.source}: ${a.target} already exists in the state`);
    taken.add(a.target);
    const id = `${t.module}|${t.type}|${t.name}`;
    let resource = byResource.get(id);
    if (!resource) {
      resource = { ...(t.module ? { module: t.module } : {}), mode: 'managed', type: t.type, name: t.name, provider: a.resource.provider, instances: [] };
      dst.resources.push(resource);
      byResource.set(id, resource);
    }
    const moved: StateInstance = { ...a.instance };
    if (t.key === undefined) delete moved.index_key;
    else moved.index_key = t.key;
    resource.instances.push(moved);
  }
  src.serial = from.serial + 1;
  sortLikeTerraform(src);
  if (!separate) return { from: src };
  dst.serial = (to?.serial ?? 0) + 1;
  sortLikeTerraform(dst);
  return { from: src, to: dst };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareKeys(a: StateInstance['index_key'], b: StateInstance['index_key']): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareText(a, b);
}

/** Terraform writes resources sorted by module, mode, type and name, and instances by key: so does the rewrite. */
function sortLikeTerraform(state: TerraformState): void {
  state.resources.sort((a, b) => compareText(a.module ?? '', b.module ?? '') || compareText(a.mode, b.mode) || compareText(a.type, b.type) || compareText(a.name, b.name));
  for (const r of state.resources) r.instances.sort((a, b) => compareKeys(a.index_key, b.index_key));
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
  const steps: RewriteStep[] = [
    ...plan.entries.filter((e) => e.status === 'moved' && e.target).map((e) => ({ source: e.source, target: e.target })),
    ...plan.entries.filter((e) => e.status === 'retired').map((e) => ({ source: e.source })),
  ];
  const state = rewriteStates(legacy, undefined, steps, false).from;
  const addresses = state.resources
    .filter((r) => r.mode === 'managed')
    .flatMap((r) => r.instances.map((i) => instanceAddress(r, i.index_key)))
    .sort();
  return { state, addresses };
}
