/**
 * What `migrate apply` (and `verify`) check in a move file before trusting it: a moves.json is a
 * file a human can edit, so nothing in it is taken on faith.
 *
 * - the synthesized stack is the one the plan was made against (`stackDigest`);
 * - every entry is well-formed: the status agrees with the source's mode (`data-source` only for
 *   `data.` addresses, never for a managed instance), the recorded type is the source's type,
 *   `kept` targets its own address, and no source or target appears twice;
 * - every `moved`/`kept` target is a resource instance of the stack, of the source's type;
 * - (apply) every entry agrees with the source state: a managed entry's instance is managed there
 *   with that type, and every managed instance of the state has an entry;
 * - (apply, separate states) the destination is empty, or holds only objects this plan moves there
 *   (a state this plan already partly wrote), and is not a state of the legacy lineage.
 *
 * Serial/lineage against the plan and the per-step checks are in apply.ts (`inspectSteps`).
 */
import { parseAddress } from '../terraform-json/address';
import { MovePlan, stackDigest } from './planner';
import { StackJson, stackResources } from './stack';
import { managedByAddress, stateEntries, TerraformState } from '../terraform-json/state';

export interface PlanCheckInput {
  readonly plan: MovePlan;
  readonly stack: StackJson;
  /** The source state as it is now (apply); undefined skips the state checks (verify). */
  readonly from?: TerraformState;
  /** The destination state in separate-state mode (undefined: missing file or same-state mode). */
  readonly to?: TerraformState;
  readonly separate: boolean;
  readonly fromFile?: string;
  readonly toFile?: string;
}

/** Every problem found (empty: the move file may be trusted). */
export function checkPlanFile(input: PlanCheckInput): string[] {
  const { plan, stack } = input;
  const problems: string[] = [];
  const digest = stackDigest(stack);
  if (plan.stackDigest !== digest) {
    problems.push(
      `stackDigest: the plan was made against another synthesized stack (plan ${JSON.stringify(plan.stackDigest ?? null)}, stack ${digest}): synthesize the same configuration or plan again`,
    );
  }
  const stackTypes = new Map(stackResources(stack).map((r) => [r.address, r.type]));
  const sources = new Map<string, number>();
  const targets = new Map<string, number>();
  plan.entries.forEach((e, i) => {
    const where = `entries[${i}] (${e.source})`;
    const src = parseAddress(e.source);
    if (!src) return void problems.push(`${where}.source: not a resource instance address`);
    if (sources.has(e.source)) problems.push(`${where}.source: duplicate of entries[${sources.get(e.source)}]: every instance must be decided once`);
    else sources.set(e.source, i);
    if (e.type !== src.type) problems.push(`${where}.type: ${JSON.stringify(e.type)} is not the source's type ${src.type}`);
    if (e.status === 'data-source' && src.mode !== 'data') problems.push(`${where}.status: "data-source" but ${e.source} is a managed resource (it would be left behind)`);
    if (e.status !== 'data-source' && src.mode === 'data') problems.push(`${where}.status: ${JSON.stringify(e.status)} for a data source (expected "data-source")`);
    if (e.status !== 'moved' && e.status !== 'kept') {
      if (e.target !== undefined) problems.push(`${where}.target: a ${e.status} entry has no target`);
      return;
    }
    const target = e.target ?? '';
    const dst = parseAddress(target);
    if (!dst || dst.mode !== 'managed') return void problems.push(`${where}.target: ${JSON.stringify(e.target)} is not a managed resource instance address`);
    if (e.status === 'kept' && target !== e.source) problems.push(`${where}: "kept" but the target ${target} is another address`);
    if (e.status === 'moved' && target === e.source) problems.push(`${where}: "moved" to its own address (expected "kept")`);
    if (targets.has(target)) problems.push(`${where}.target: ${target} is also the target of entries[${targets.get(target)}] (never two sources to one target)`);
    else targets.set(target, i);
    const stackType = stackTypes.get(target);
    if (stackType === undefined) problems.push(`${where}.target: ${target} is not a resource instance of the synthesized stack ${plan.stack} (terraform would delete the object)`);
    else if (stackType !== src.type) problems.push(`${where}.target: ${target} is a ${stackType} in the stack, the source is a ${src.type} (state mv cannot cross types)`);
  });

  if (input.from) {
    const fromFile = input.fromFile ?? 'the source state';
    const byAddress = new Map(stateEntries(input.from).map((s) => [s.address, s]));
    const byStatus = new Map(plan.entries.map((e) => [e.source, e]));
    for (const e of plan.entries) {
      const s = byAddress.get(e.source);
      if (!s) continue; // moved already (a rerun), or the state changed: apply's step checks say which
      if (s.type !== e.type) problems.push(`${e.source}: a ${s.type} in ${fromFile}, the plan says ${e.type}`);
      if (s.mode === 'managed' && e.status === 'data-source') problems.push(`${e.source}: a managed instance in ${fromFile}, the plan says "data-source" (it would be left behind)`);
    }
    const unplanned = [...managedByAddress(input.from).keys()].filter((a) => !byStatus.has(a));
    if (unplanned.length > 0) problems.push(`${fromFile}: ${unplanned.length} managed instance(s) the plan does not decide: ${unplanned.slice(0, 10).join(', ')}${unplanned.length > 10 ? ', ...' : ''}`);
  }

  if (input.separate && input.to) {
    const toFile = input.toFile ?? 'the destination state';
    if (input.from && input.to.lineage === input.from.lineage) {
      problems.push(`${toFile}: has the lineage of the source state (${input.to.lineage}): it is a copy of the legacy state, not the new stack's state`);
    }
    const planned = new Set([...targets.keys()]);
    const foreign = [...managedByAddress(input.to).keys()].filter((a) => !planned.has(a));
    if (foreign.length > 0) {
      problems.push(
        `${toFile}: holds ${foreign.length} instance(s) this plan does not move there (${foreign.slice(0, 10).join(', ')}${foreign.length > 10 ? ', ...' : ''}): the destination must be empty or a state this plan already partly wrote`,
      );
    }
  }
  return problems;
}
