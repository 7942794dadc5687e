/**
 * Large `count` blocks planned as an equivalent configuration of smaller blocks.
 *
 * Terraform 1.11 attaches a deep copy of a resource's WHOLE state to each of its instances while it
 * expands a `count` (`rs.DeepCopy()` in `internal/terraform/transform_attach_state.go`), so one block
 * of N instances costs N x N instance copies: a 5,000-instance block took about 40 s of terraform's
 * CPU on the migration benchmark, the rest of that plan 16 s (migration/README.md, "Speed").
 *
 * For a plan whose only purpose is to be read (the migration gate's confirmation), `T.n` with
 * `count = N` is planned as `T.n__part_0` ... `T.n__part_K` of at most `partSize` instances each:
 * part k holds instances `k*partSize ...`, every `count.index` in its expressions is shifted by that
 * offset, and the state's instances move with their index shifted the same way, so each instance is
 * planned from the same configuration values and the same prior state as before. Instances at or
 * past N (which terraform would delete) go to the last part, where they are past its count too.
 * {@link CountSplit.realAddress} maps every address back (`T.n__part_3[7]` -> `T.n[307]`).
 *
 * A block is only split when nothing can tell the difference: its count is a literal number; it has
 * no `for_each` or `replace_triggered_by`; nothing else in the configuration names it (no reference,
 * `depends_on`, `moved` or output), no other state object records a dependency on it, and the
 * state holds no check result for it; its state instances all have number keys; the part names are
 * free; and every `count.index` sits in a template expression this module can read (no heredoc or
 * comment inside an interpolation). Anything else keeps the block as it is, with the reason in
 * {@link CountSplit.kept}.
 */
import type { Json } from './offline';

export interface CountSplitOptions {
  /** Blocks with a count above this are split. @default 200 */
  readonly threshold?: number;
  /** Instances per part. @default 100 */
  readonly partSize?: number;
}

export interface SplitBlock {
  /** The original block, `type.name`. */
  readonly address: string;
  readonly count: number;
  readonly parts: number;
  readonly partSize: number;
}

export interface CountSplit {
  readonly stack: Json;
  /** The state with the split blocks' instances moved to their parts (undefined when none was given). */
  readonly state: Json | undefined;
  readonly split: readonly SplitBlock[];
  /** Large blocks left whole, and why. */
  readonly kept: readonly { readonly address: string; readonly reason: string }[];
  /** The original address of an address in the split configuration (any other address unchanged). */
  realAddress(address: string): string;
  /** `text` with every part address in it replaced by its original address. */
  realText(text: string): string;
}

const PART = '__part_';

/** `T.n` as a whole traversal: not a prefix of a longer name, not the tail of one. */
function mentions(address: string): RegExp {
  const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_.-])${escaped}($|[^A-Za-z0-9_-])`);
}

/**
 * `template` (an HCL template, as every string in Terraform's JSON syntax is) with each `count.index`
 * inside an interpolation or directive replaced by `(count.index + offset)`; literal text is left
 * alone. Undefined when the template holds something this scanner does not follow (a heredoc or a
 * comment inside an interpolation, `count.index` glued to another name, unbalanced braces or quotes).
 */
export function shiftCountIndex(template: string, offset: number): string | undefined {
  type Frame = { mode: 'template' } | { mode: 'string' } | { mode: 'expr'; depth: number };
  const stack: Frame[] = [{ mode: 'template' }];
  let out = '';
  let i = 0;
  while (i < template.length) {
    const top = stack[stack.length - 1];
    const c = template[i];
    if (top.mode !== 'expr') {
      if (top.mode === 'string' && c === '\\') {
        out += template.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (top.mode === 'string' && c === '"') {
        stack.pop();
        out += c;
        i++;
        continue;
      }
      if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
        out += template.slice(i, i + 3);
        i += 3;
        continue;
      }
      if (template.startsWith('${', i) || template.startsWith('%{', i)) {
        stack.push({ mode: 'expr', depth: 0 });
        out += template.slice(i, i + 2);
        i += 2;
        continue;
      }
      out += c;
      i++;
      continue;
    }
    if (template.startsWith('<<', i) || c === '#' || template.startsWith('//', i) || template.startsWith('/*', i)) return undefined;
    if (c === '"') stack.push({ mode: 'string' });
    else if (c === '{') top.depth++;
    else if (c === '}') {
      if (top.depth === 0) stack.pop();
      else top.depth--;
    } else if (template.startsWith('count.index', i) && !/[A-Za-z0-9_-]/.test(template[i + 11] ?? '') && !/[A-Za-z0-9_.]/.test(template[i - 1] ?? '')) {
      // After a dash: a minus (`10-count.index`), or part of a name (`a-count.index`, HCL names may hold dashes).
      const before = /[A-Za-z0-9_-]*-$/.exec(template.slice(0, i))?.[0] ?? '';
      if (/^[A-Za-z_]/.test(before)) return undefined;
      out += `(count.index + ${offset})`;
      i += 11;
      continue;
    }
    out += c;
    i++;
  }
  return stack.length === 1 ? out : undefined;
}

/** Every string in `value` through {@link shiftCountIndex}; undefined when one cannot be read or an object key uses count.index. */
function shiftAll(value: Json, offset: number): Json | undefined {
  if (typeof value === 'string') return shiftCountIndex(value, offset);
  if (Array.isArray(value)) {
    const items = value.map((v) => shiftAll(v, offset));
    return items.some((v) => v === undefined) ? undefined : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('count.index')) return undefined;
      const shifted = shiftAll(v, offset);
      if (shifted === undefined) return undefined;
      out[k] = shifted;
    }
    return out;
  }
  return value;
}

interface StateResource {
  mode?: string;
  type?: string;
  name?: string;
  module?: string;
  instances?: { index_key?: unknown; dependencies?: unknown }[];
}

/** The state's root-module managed resource `type.name`, or undefined. */
function stateResource(state: Json | undefined, type: string, name: string): StateResource | undefined {
  return (state?.resources ?? []).find((r: StateResource) => r.mode === 'managed' && !r.module && r.type === type && r.name === name);
}

/** Why `type.name` (its block `block`, count `count`) cannot be split, or undefined when it can. */
function whyKept(stack: Json, state: Json | undefined, type: string, name: string, block: Json, parts: number): string | undefined {
  const address = `${type}.${name}`;
  if (block.for_each !== undefined) return 'it has for_each';
  if (block.lifecycle?.replace_triggered_by !== undefined) return 'it has lifecycle.replace_triggered_by';
  // The configuration as text without the block itself (no copy: the replacer leaves the block out).
  const rest = JSON.stringify(stack, (_key, value: unknown) => (value === block ? undefined : value));
  if (mentions(address).test(rest)) return 'the configuration refers to it';
  for (let k = 0; k < parts; k++) {
    if (stack.resource[type][`${name}${PART}${k}`] !== undefined || stateResource(state, type, `${name}${PART}${k}`)) return `${address}${PART}${k} exists`;
  }
  const own = stateResource(state, type, name);
  if (own && !(own.instances ?? []).every((i) => typeof i.index_key === 'number' && Number.isInteger(i.index_key) && i.index_key >= 0)) {
    return 'its state has instances without a number key';
  }
  const dependent = (state?.resources ?? []).some(
    (r: StateResource) =>
      r !== own && (r.instances ?? []).some((i) => Array.isArray(i.dependencies) && i.dependencies.some((d) => typeof d === 'string' && (d === address || d.startsWith(`${address}[`)))),
  );
  if (dependent) return 'another object in the state depends on it';
  if (state?.check_results && mentions(address).test(JSON.stringify(state.check_results))) return 'the state holds check results for it';
  return undefined;
}

/**
 * The configuration and state with every root-module `count` block above `threshold` split into
 * parts (see the module comment). Neither input is modified.
 */
export function splitLargeCountBlocks(stackJson: Json, stateJson: Json | undefined, options: CountSplitOptions = {}): CountSplit {
  const threshold = options.threshold ?? 200;
  const partSize = options.partSize ?? 100;
  if (!Number.isInteger(partSize) || partSize < 1) throw new Error(`splitLargeCountBlocks: partSize must be a whole number >= 1, got ${partSize}`);
  const stack = JSON.parse(JSON.stringify(stackJson));
  const state = stateJson === undefined ? undefined : JSON.parse(JSON.stringify(stateJson));
  const split: SplitBlock[] = [];
  const kept: { address: string; reason: string }[] = [];
  const offsets = new Map<string, number>();

  for (const type of Object.keys(stack.resource ?? {}).sort()) {
    for (const name of Object.keys(stack.resource[type]).sort()) {
      const block = stack.resource[type][name];
      const count = block?.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count <= threshold) continue;
      const address = `${type}.${name}`;
      const parts = Math.ceil(count / partSize);
      const reason = whyKept(stack, state, type, name, block, parts);
      const bodies = reason ? [] : Array.from({ length: parts }, (_, k) => shiftAll(block, k * partSize));
      if (reason || bodies.some((b) => b === undefined)) {
        kept.push({ address, reason: reason ?? 'a count.index in it is in an expression this check does not read' });
        continue;
      }
      delete stack.resource[type][name];
      bodies.forEach((body, k) => {
        stack.resource[type][`${name}${PART}${k}`] = { ...body, count: Math.min(partSize, count - k * partSize) };
        offsets.set(`${address}${PART}${k}`, k * partSize);
      });
      const own = stateResource(state, type, name);
      if (own) {
        const at = state.resources.indexOf(own);
        const partOf = (key: number) => Math.min(Math.floor(key / partSize), parts - 1);
        const moved = Array.from({ length: parts }, (_, k) => ({
          ...own,
          name: `${name}${PART}${k}`,
          instances: (own.instances ?? []).filter((i) => partOf(i.index_key as number) === k).map((i) => ({ ...i, index_key: (i.index_key as number) - k * partSize })),
        })).filter((r) => r.instances.length > 0);
        state.resources.splice(at, 1, ...moved);
      }
      split.push({ address, count, parts, partSize });
    }
  }

  // A part's address (`type.name__part_k`, optionally `[i]`), not the tail of a longer name (as in `mentions`).
  const PART_ADDRESS = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+__part_\d+)(?:\[(\d+)\])?/g;
  const realText = (text: string): string =>
    text.replace(PART_ADDRESS, (whole, part: string, index: string | undefined) => {
      const offset = offsets.get(part);
      if (offset === undefined) return whole;
      const original = part.slice(0, part.lastIndexOf(PART));
      return index === undefined ? original : `${original}[${Number(index) + offset}]`;
    });
  // An address is text holding one address: the same mapping serves both.
  return { stack, state, split, kept, realAddress: realText, realText };
}
