/**
 * Terraform state (format v4, as `terraform state pull` prints it): reading, listing resource
 * instances by address, and the small edits the simulator makes. Only the fields the migration
 * needs are typed; everything else is carried through untouched.
 */
import { readErrorText } from '../fs-errors';
import * as fs from 'node:fs';
import { formatAddress, InstanceKey, ParsedAddress } from './address';
import { InfraError } from '../errors';

export interface StateInstance {
  index_key?: number | string;
  schema_version?: number;
  attributes?: Record<string, unknown>;
  /** Legacy flatmap attributes (Terraform 0.11 era states). */
  attributes_flat?: Record<string, string>;
  [extra: string]: unknown;
}

export interface StateResource {
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  each?: string;
  provider: string;
  instances: StateInstance[];
  [extra: string]: unknown;
}

export interface TerraformState {
  version: number;
  terraform_version?: string;
  serial: number;
  lineage: string;
  outputs?: Record<string, unknown>;
  resources: StateResource[];
  [extra: string]: unknown;
}

/** One resource instance of a state, with its address. */
export interface StateEntry extends ParsedAddress {
  readonly address: string;
  readonly provider: string;
  readonly attributes: Record<string, unknown>;
  /** Whether the resource declares count/for_each (the instance has a key). */
  readonly resource: StateResource;
  readonly instance: StateInstance;
}

export class StateError extends InfraError {}

/** Parses and checks the shape of a v4 state; errors name the file and the field. */
export function parseState(text: string, origin = 'state'): TerraformState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StateError(`${origin}: not JSON (${(err as Error).message})`);
  }
  const problems: string[] = [];
  const s = raw as Partial<TerraformState>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new StateError(`${origin}: expected a JSON object`);
  if (s.version !== 4) problems.push(`version is ${JSON.stringify(s.version)}; only state format version 4 (Terraform >= 0.12) is supported`);
  if (typeof s.serial !== 'number') problems.push('serial is missing or not a number');
  if (typeof s.lineage !== 'string' || s.lineage === '') problems.push('lineage is missing');
  if (!Array.isArray(s.resources)) problems.push('resources is missing or not a list');
  else {
    s.resources.forEach((r, i) => {
      const where = `resources[${i}]`;
      if (r.mode !== 'managed' && r.mode !== 'data') problems.push(`${where}.mode is ${JSON.stringify(r.mode)}; expected "managed" or "data"`);
      if (typeof r.type !== 'string' || typeof r.name !== 'string') problems.push(`${where}: type and name must be strings`);
      if (!Array.isArray(r.instances)) problems.push(`${where}.instances is not a list`);
    });
  }
  if (problems.length > 0) throw new StateError(`${origin}: ${problems.join('; ')}`);
  return raw as TerraformState;
}

export function readState(file: string): TerraformState {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new StateError(`cannot read state file ${file}: ${readErrorText(err as NodeJS.ErrnoException)}`);
  }
  return parseState(text, file);
}

/** Reads a state file, or an empty state when the file does not exist (a fresh target). */
export function readStateOrEmpty(file: string): TerraformState | undefined {
  return fs.existsSync(file) ? readState(file) : undefined;
}

/** Flatmap (`a.b` / `a.#`) to nested values, good enough for scalar lookups. */
function unflatten(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flat)) {
    if (k.endsWith('.#') || k.endsWith('.%')) continue;
    const parts = k.split('.');
    let cur = out as Record<string, unknown>;
    parts.slice(0, -1).forEach((p) => {
      cur[p] = (cur[p] as Record<string, unknown>) ?? {};
      cur = cur[p] as Record<string, unknown>;
    });
    cur[parts[parts.length - 1]] = v;
  }
  return out;
}

export function instanceAddress(r: StateResource, key: InstanceKey): string {
  return formatAddress({ module: r.module ?? '', mode: r.mode, type: r.type, name: r.name, key });
}

/** Every resource instance, managed and data, in state order. */
export function stateEntries(state: TerraformState): StateEntry[] {
  const out: StateEntry[] = [];
  for (const r of state.resources) {
    for (const inst of r.instances) {
      const key = inst.index_key;
      out.push({
        address: instanceAddress(r, key),
        module: r.module ?? '',
        mode: r.mode,
        type: r.type,
        name: r.name,
        key,
        provider: r.provider,
        attributes: inst.attributes ?? (inst.attributes_flat ? unflatten(inst.attributes_flat) : {}),
        resource: r,
        instance: inst,
      });
    }
  }
  return out;
}

/** Managed instances by address. */
export function managedByAddress(state: TerraformState | undefined): Map<string, StateEntry> {
  const map = new Map<string, StateEntry>();
  if (!state) return map;
  for (const e of stateEntries(state)) if (e.mode === 'managed') map.set(e.address, e);
  return map;
}

/** A value at a dotted path (`tags.Name`, `route.0.cidr_block`). */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (typeof cur === 'object') cur = (cur as Record<string, unknown>)[part];
    else return undefined;
  }
  return cur;
}

/** Sorted managed addresses, Terraform-style (`terraform state list` order aside, deterministic). */
export function listAddresses(state: TerraformState, mode: 'managed' | 'all' = 'all'): string[] {
  return stateEntries(state)
    .filter((e) => mode === 'all' || e.mode === 'managed')
    .map((e) => e.address)
    .sort();
}
