/**
 * Terraform resource instance addresses: formatting from state/stack coordinates, parsing back, and
 * quoting for a POSIX shell (for `--dry-run` output and runbooks).
 *
 * An address is `[module.<name>[<key>]...].[data.]<type>.<name>[<key>]`, where a key is a number
 * (`count`) or a quoted string (`for_each`), e.g. `module.net["eu"].aws_subnet.private["a"]`.
 */

export type InstanceKey = number | string | undefined;

export interface ParsedAddress {
  /** Module instance path, e.g. `module.net["eu"]`; empty for the root module. */
  readonly module: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly key: InstanceKey;
}

/** `[0]`, `["a"]` or `` for no key. Strings use Terraform's (JSON-compatible) escaping. */
export function formatKey(key: InstanceKey): string {
  if (key === undefined || key === null) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** The resource (not instance) address: `module.x.data.aws_ami.this`. */
export function resourceAddress(a: Pick<ParsedAddress, 'module' | 'mode' | 'type' | 'name'>): string {
  const prefix = a.module ? `${a.module}.` : '';
  return `${prefix}${a.mode === 'data' ? 'data.' : ''}${a.type}.${a.name}`;
}

export function formatAddress(a: ParsedAddress): string {
  return resourceAddress(a) + formatKey(a.key);
}

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const KEY = '\\[(?:\\d+|"(?:[^"\\\\]|\\\\.)*")\\]';
const MODULE_STEP = new RegExp(`^module\\.(${NAME})(${KEY})?\\.`);
const RESOURCE = new RegExp(`^(data\\.)?(${NAME})\\.(${NAME})(${KEY})?$`);

function parseKey(raw: string | undefined): InstanceKey {
  if (!raw) return undefined;
  const inner = raw.slice(1, -1);
  return inner.startsWith('"') ? (JSON.parse(inner) as string) : Number(inner);
}

/** Parses an instance address; undefined when it is not one. */
export function parseAddress(address: string): ParsedAddress | undefined {
  let rest = address;
  const modules: string[] = [];
  for (let m = MODULE_STEP.exec(rest); m; m = MODULE_STEP.exec(rest)) {
    modules.push(`module.${m[1]}${m[2] ?? ''}`);
    rest = rest.slice(m[0].length);
  }
  const r = RESOURCE.exec(rest);
  if (!r) return undefined;
  return { module: modules.join('.'), mode: r[1] ? 'data' : 'managed', type: r[2], name: r[3], key: parseKey(r[4]) };
}

/** Quotes one word for a POSIX shell: bare when it is safe, otherwise in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
