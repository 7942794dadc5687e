/**
 * Leaving out what the emulator cannot create: resources of unemulated types (App Runner) and
 * everything that depends on them, computed from the references in the synthesized JSON.
 */
import { Json } from '../terraform';

/** Resource types moto does not emulate at all, with the reason shown in the summary. */
export const UNEMULATED_TYPE_PREFIXES: readonly { readonly prefix: string; readonly reason: string }[] = [
  { prefix: 'aws_apprunner_', reason: 'App Runner is not emulated by moto 5.2.1' },
];

const REF = /\b(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)\b/g;

/** `type.name` (or `data.type.name`) addresses a JSON value refers to, among `known`. */
export function referencesIn(value: Json, known: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const m of JSON.stringify(value ?? null).matchAll(REF)) {
    const address = `${m[1] ?? ''}${m[2]}.${m[3]}`;
    if (known.has(address)) out.add(address);
  }
  return [...out].sort();
}

export interface SkipPlan {
  /** Addresses left out, sorted, each with why: its own type, or the address it depends on. */
  readonly skipped: readonly { readonly address: string; readonly because: string }[];
  /** Outputs left out because they refer to a skipped address. */
  readonly outputs: readonly string[];
  /** The stack without them (a new object). */
  readonly stack: Json;
}

/**
 * Every resource whose type starts with one of `prefixes`, plus the transitive closure of what
 * refers to those (expressions and `depends_on`), removed from a copy of the stack along with
 * the outputs and import blocks that refer to them.
 */
export function skipUnemulated(stackJson: Json, prefixes = UNEMULATED_TYPE_PREFIXES): SkipPlan {
  const stack = JSON.parse(JSON.stringify(stackJson));
  const blocks: { address: string; body: Json; remove: () => void }[] = [];
  for (const [kind, section] of [['', stack.resource ?? {}], ['data.', stack.data ?? {}]] as const) {
    for (const type of Object.keys(section)) {
      for (const name of Object.keys(section[type])) {
        blocks.push({
          address: `${kind}${type}.${name}`,
          body: section[type][name],
          remove: () => {
            delete section[type][name];
            if (Object.keys(section[type]).length === 0) delete section[type];
          },
        });
      }
    }
  }
  const known = new Set(blocks.map((b) => b.address));
  const because = new Map<string, string>();
  for (const b of blocks) {
    const type = b.address.replace(/^data\./, '').split('.')[0];
    const hit = prefixes.find((p) => type.startsWith(p.prefix));
    if (hit) because.set(b.address, hit.reason);
  }
  const refs = new Map(blocks.map((b) => [b.address, referencesIn(b.body, known)]));
  for (let changed = because.size > 0; changed; ) {
    changed = false;
    for (const b of blocks) {
      if (because.has(b.address)) continue;
      const dep = refs.get(b.address)!.find((r) => because.has(r));
      if (dep) {
        because.set(b.address, `depends on ${dep}`);
        changed = true;
      }
    }
  }
  for (const b of blocks) if (because.has(b.address)) b.remove();
  const outputs: string[] = [];
  for (const [name, body] of Object.entries((stack.output ?? {}) as Record<string, Json>)) {
    if (referencesIn(body, known).some((r) => because.has(r))) {
      outputs.push(name);
      delete stack.output[name];
    }
  }
  if (Array.isArray(stack.import)) stack.import = stack.import.filter((i: Json) => !because.has(String(i.to)));
  const skipped = [...because.entries()].map(([address, why]) => ({ address, because: why })).sort((a, b) => a.address.localeCompare(b.address));
  return { skipped, outputs: outputs.sort(), stack };
}
