/**
 * The synthesized stack (`cdktf.out/stacks/<stack>/cdk.tf.json`) as the migration sees it: every
 * managed resource instance address with its configuration, and Terraform reference helpers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatAddress, InstanceKey } from '../terraform-json/address';
import { InfraError } from '../errors';

export interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  import?: Array<{ to: string; id: string; provider?: string }>;
  moved?: Array<{ from: string; to: string }>;
  removed?: Array<{ from: string; lifecycle?: { destroy?: boolean } }>;
  [extra: string]: unknown;
}

export interface StackResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly key: InstanceKey;
  /** The resource block (count / for_each included). */
  readonly config: Record<string, unknown>;
  /** Position of the resource in the synthesized file (declaration order). */
  readonly order: number;
}

export class StackError extends InfraError {}

/** `--stack` accepts a stack name (looked up under `cdktf.out/stacks/`), a directory or a JSON file. */
export function resolveStackFile(stack: string, cwd: string): { file: string; name: string } {
  const candidates = [
    path.resolve(cwd, stack),
    path.resolve(cwd, stack, 'cdk.tf.json'),
    path.resolve(cwd, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'),
  ];
  for (const c of candidates) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) {
      const dirName = path.basename(path.dirname(c));
      const name = path.basename(c) === 'cdk.tf.json' ? dirName : path.basename(c).replace(/\.tf\.json$|\.json$/, '');
      return { file: c, name };
    }
  }
  throw new StackError(
    `stack "${stack}" not found: looked for ${candidates.map((c) => path.relative(cwd, c) || c).join(', ')} (from ${cwd}); run from the project root, after \`npm run synth\``,
  );
}

export function readStackJson(file: string): StackJson {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as StackJson;
  } catch (err) {
    throw new StackError(`cannot read synthesized stack ${file}: ${(err as Error).message}`);
  }
}

/** Instance keys of a resource block: literal `count` expands to 0..n-1, literal `for_each` maps to their keys. */
function keysOf(config: Record<string, unknown>): InstanceKey[] {
  if (typeof config.count === 'number') return Array.from({ length: config.count }, (_, i) => i);
  const fe = config.for_each;
  if (fe && typeof fe === 'object' && !Array.isArray(fe)) return Object.keys(fe).sort();
  if (Array.isArray(fe) && fe.every((k) => typeof k === 'string')) return [...(fe as string[])].sort();
  return [undefined];
}

/** Every managed resource instance of the stack, in declaration order. */
export function stackResources(stack: StackJson): StackResource[] {
  const out: StackResource[] = [];
  let order = 0;
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      for (const key of keysOf(config)) {
        out.push({ address: formatAddress({ module: '', mode: 'managed', type, name, key }), type, name, key, config, order: order++ });
      }
    }
  }
  return out;
}

/** A whole-string Terraform reference `${type.name.attr}` (or `${type.name[0].attr}`). */
export interface Reference {
  readonly resource: string;
  readonly attribute: string;
}

const REF = /^\$\{([A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[(?:\d+|"[^"]*")\])?)\.([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== 'string') return undefined;
  const m = REF.exec(value);
  return m ? { resource: m[1], attribute: m[2] } : undefined;
}

/** True when the value contains any Terraform interpolation (so it is only known at plan time). */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}
