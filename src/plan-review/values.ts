/**
 * Values inside a plan: walking sensitivity/unknown masks, attribute-level diffs, and rendering a
 * value for display with everything sensitive replaced. Every display string is produced by
 * {@link Redactor.display}, so redaction has one choke point.
 */
import { JsonValue, Mask } from '../terraform-json/plan-types';
import { isObject } from '../terraform-json/json';

export const SENSITIVE = '(sensitive value)';
export const UNKNOWN = '(known after apply)';

export type PathPart = string | number;

/** One changed leaf (or subtree added/removed whole). `before`/`after` undefined means absent. */
export interface AttributeChange {
  readonly path: string;
  readonly parts: readonly PathPart[];
  readonly before?: string;
  readonly after?: string;
  /** Listed in Terraform's `replace_paths` for this resource. */
  readonly forcesReplacement: boolean;
}

/** The mask for a child: `true` propagates, objects/arrays are indexed, anything else is "not marked". */
export function childMask(mask: Mask | undefined, key: PathPart): Mask | undefined {
  if (mask === true) return true;
  if (mask !== null && typeof mask === 'object') return (mask as Record<string, JsonValue>)[key as string];
  return undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) if (!(k in bo) || !deepEqual((a as Record<string, unknown>)[k], bo[k])) return false;
  return true;
}

/** True for values Terraform and providers use interchangeably for "nothing": null, {}, [], "". */
export function isEmptyish(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(parts: readonly PathPart[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (IDENT.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

/** A JSON document embedded in a string attribute (IAM policies, container definitions), or undefined. */
export function embeddedJson(v: unknown): JsonValue | undefined {
  if (typeof v !== 'string' || v.length < 2) return undefined;
  const c = v.charCodeAt(0);
  if (c !== 0x7b && c !== 0x5b) return undefined; // '{' or '['
  try {
    const parsed = JSON.parse(v) as JsonValue;
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The value at `parts`, descending into JSON embedded in strings; undefined when absent. */
export function valueAt(root: unknown, parts: readonly PathPart[]): unknown {
  let v: unknown = root;
  for (const p of parts) {
    if (typeof v === 'string') v = embeddedJson(v);
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p as string];
  }
  return v;
}

/** A sensitive string shorter than this is only matched whole, never inside other strings. */
export const MIN_SUBSTRING_SECRET = 4;

const hex4 = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;

/**
 * The inside of a JSON string literal for `s` (no quotes) as Go's encoder writes it, so Terraform's
 * plan JSON and `jsonencode`: only quote, backslash, newline, CR and tab get short escapes; other
 * control characters and `<`, `>`, `&`, U+2028, U+2029 are `\u` escapes; with `ascii`, every
 * non-ASCII code unit too (Python's default).
 */
function goEscaped(s: string, ascii: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029 || (ascii && c > 0x7f)) out += hex4(c);
    else out += s[i];
  }
  return out;
}

/**
 * Every way `s` can be spelled inside JSON text other than as itself: as JSON.stringify writes it,
 * as Go writes it, all-ASCII, and each of those escaped once more (a JSON document inside a string
 * attribute, e.g. an IAM policy, shown or output as a JSON string).
 */
export function jsonSpellings(s: string): string[] {
  const once = [JSON.stringify(s).slice(1, -1), goEscaped(s, false), goEscaped(s, true)];
  const all = new Set([...once, ...once.map((e) => JSON.stringify(e).slice(1, -1))]);
  all.delete(s);
  return [...all];
}

/** Three UTF-16 code units at `i` as one exact number (< 2^48), so lookups allocate nothing. */
function prefixKey(text: string, i: number): number {
  return (text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1)) * 65536 + text.charCodeAt(i + 2);
}

/**
 * Renders values for display with sensitive parts replaced. Beyond the structural masks, it knows
 * every string that any part of the plan marks sensitive and replaces those wherever they appear
 * (a safety net for values copied into unmarked places, e.g. by older Terraform versions), in
 * their raw form and in every JSON-escaped form ({@link jsonSpellings}), so a secret with quotes,
 * backslashes or control characters is found inside embedded JSON documents and rendered JSON too.
 */
export class Redactor {
  /** The sensitive strings as the plan holds them. */
  private readonly secrets = new Set<string>();
  /** Those and their JSON spellings: a display string equal to one of these is replaced whole. */
  private readonly exact = new Set<string>();
  /** First 3 characters (as one number) -> secrets starting with them, for a one-pass substring search. */
  private readonly byPrefix = new Map<number, string[]>();

  /** Records every string leaf of `value` under parts that `mask` marks sensitive. */
  collect(value: unknown, mask: Mask | undefined): void {
    if (mask === true) {
      this.addAll(value);
      return;
    }
    if (mask === null || typeof mask !== 'object' || value === null || typeof value !== 'object') return;
    for (const key of Object.keys(mask)) {
      const m = (mask as Record<string, JsonValue>)[key];
      if (m === false || m === null || m === undefined) continue;
      this.collect((value as Record<string, unknown>)[key], m);
    }
  }

  /** Records every string leaf of `value` as sensitive. */
  addAll(value: unknown): void {
    if (typeof value === 'string') this.addSecret(value);
    else if (typeof value === 'number') this.addSecret(String(value));
    else if (value !== null && typeof value === 'object') {
      for (const v of Array.isArray(value) ? value : Object.values(value)) this.addAll(v);
    }
  }

  private addSecret(s: string): void {
    if (s === '' || this.secrets.has(s)) return;
    this.secrets.add(s);
    // A short secret is only matched whole, and so are its spellings.
    const substring = s.length >= MIN_SUBSTRING_SECRET;
    for (const form of [s, ...jsonSpellings(s)]) {
      if (this.exact.has(form)) continue;
      this.exact.add(form);
      if (!substring) continue;
      const key = prefixKey(form, 0);
      const list = this.byPrefix.get(key);
      if (list) list.push(form);
      else this.byPrefix.set(key, [form]);
    }
  }

  /** Distinct sensitive strings known (not counting their JSON spellings). */
  get secretCount(): number {
    return this.secrets.size;
  }

  /**
   * When set, every text {@link scrub} is asked about is appended (also when nothing is known yet):
   * a streamed review checks them against the secrets it learns later ({@link scrubsAnyOf}).
   */
  scrubbed: string[] | undefined;

  /** The sensitive strings known, in the order they were learned (not their JSON spellings). */
  secretsLearned(): string[] {
    return [...this.secrets];
  }

  /** Replaces every known sensitive string inside `text`. */
  scrub(text: string): string {
    if (this.scrubbed) this.scrubbed.push(text);
    if (this.exact.size === 0) return text;
    if (this.exact.has(text)) return SENSITIVE;
    if (text.length < MIN_SUBSTRING_SECRET || this.byPrefix.size === 0) return text;
    let out = '';
    let i = 0;
    let copiedTo = 0;
    while (i <= text.length - MIN_SUBSTRING_SECRET) {
      const candidates = this.byPrefix.get(prefixKey(text, i));
      let matched = 0;
      if (candidates) for (const s of candidates) if (s.length > matched && text.startsWith(s, i)) matched = s.length;
      if (matched > 0) {
        out += text.slice(copiedTo, i) + SENSITIVE;
        i += matched;
        copiedTo = i;
      } else i += 1;
    }
    return copiedTo === 0 ? text : out + text.slice(copiedTo);
  }

  /**
   * Display form of a value: scalars as JSON, objects compact, sensitive/unknown parts replaced.
   * Strings (keys too) are redacted before they are JSON-encoded, and the encoded text once more.
   */
  display(value: unknown, sensitive: Mask | undefined, unknown: Mask | undefined): string {
    if (sensitive === true) return SENSITIVE;
    if (unknown === true) return UNKNOWN;
    if (value === undefined) return 'null';
    if (typeof value === 'string') {
      const s = this.scrub(value);
      return s === SENSITIVE ? s : this.scrub(JSON.stringify(s));
    }
    if (value === null || typeof value !== 'object') return this.scrub(JSON.stringify(value));
    return this.scrub(JSON.stringify(this.masked(value, sensitive, unknown)));
  }

  /**
   * A copy of `value` with marked parts replaced by placeholders and known secrets scrubbed out of
   * every string leaf and key; only as deep as the masks reach when no secrets are known.
   */
  private masked(value: unknown, sensitive: Mask | undefined, unknown: Mask | undefined): unknown {
    if (sensitive === true) return SENSITIVE;
    if (unknown === true) return UNKNOWN;
    const scrubLeaves = this.exact.size > 0;
    if (typeof value === 'string') return scrubLeaves ? this.scrub(value) : value;
    if (typeof value === 'number') return scrubLeaves && this.exact.has(String(value)) ? SENSITIVE : value;
    if (value === null || typeof value !== 'object') return value;
    const marked = (m: Mask | undefined) => m !== null && typeof m === 'object';
    if (!scrubLeaves && !marked(sensitive) && !marked(unknown)) return value;
    if (Array.isArray(value)) {
      const out = value.map((v, i) => this.masked(v, childMask(sensitive, i), childMask(unknown, i)));
      if (Array.isArray(unknown)) for (let i = value.length; i < unknown.length; i++) if (unknown[i] === true) out.push(UNKNOWN);
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[scrubLeaves ? this.scrub(k) : k] = this.masked((value as Record<string, unknown>)[k], childMask(sensitive, k), childMask(unknown, k));
    if (isObject(unknown)) for (const k of Object.keys(unknown)) if (!(k in value) && unknown[k] === true) out[scrubLeaves ? this.scrub(k) : k] = UNKNOWN;
    return out;
  }

  /**
   * Attribute-level diff of `before` -> `after`: one entry per changed leaf, objects and lists
   * descended into (JSON embedded in strings too, so a policy diff shows the statement that
   * changed). `replacePaths` marks the entries that force replacement.
   */
  diff(
    before: unknown,
    after: unknown,
    masks: { beforeSensitive?: Mask; afterSensitive?: Mask; afterUnknown?: Mask },
    replacePaths: readonly (readonly PathPart[])[] = [],
  ): AttributeChange[] {
    const out: AttributeChange[] = [];
    // A replacement whose prior object is absent (trimmed plans) lists every attribute as added.
    if ((before === null || before === undefined) && after !== null && typeof after === 'object') before = Array.isArray(after) ? [] : {};
    if ((after === null || after === undefined) && before !== null && typeof before === 'object') after = Array.isArray(before) ? [] : {};
    this.walk(before, after, masks.beforeSensitive, masks.afterSensitive, masks.afterUnknown, [], replacePaths, out);
    return out;
  }

  private walk(
    b: unknown,
    a: unknown,
    bs: Mask | undefined,
    as: Mask | undefined,
    au: Mask | undefined,
    parts: PathPart[],
    replacePaths: readonly (readonly PathPart[])[],
    out: AttributeChange[],
  ): void {
    const emit = (before: string | undefined, after: string | undefined) =>
      out.push({ path: this.scrub(formatPath(parts)), parts: [...parts], before, after, forcesReplacement: forcesReplacement(parts, replacePaths) });
    if (au === true) {
      emit(b === undefined || b === null ? undefined : this.display(b, bs, undefined), UNKNOWN);
      return;
    }
    if (bs === true || as === true) {
      if (bs === as && deepEqual(b, a)) return;
      emit(b === undefined ? undefined : this.display(b, bs, undefined), a === undefined ? undefined : this.display(a, as, au));
      return;
    }
    if (isObject(b) && isObject(a)) {
      const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
      if (isObject(au)) for (const k of Object.keys(au)) keys.add(k);
      for (const k of [...keys].sort()) {
        parts.push(k);
        this.walk(b[k], a[k], childMask(bs, k), childMask(as, k), childMask(au, k), parts, replacePaths, out);
        parts.pop();
      }
      return;
    }
    if (Array.isArray(b) && Array.isArray(a)) {
      const n = Math.max(b.length, a.length, Array.isArray(au) ? au.length : 0);
      for (let i = 0; i < n; i++) {
        parts.push(i);
        this.walk(b[i], a[i], childMask(bs, i), childMask(as, i), childMask(au, i), parts, replacePaths, out);
        parts.pop();
      }
      return;
    }
    if (deepEqual(b, a)) return;
    const bj = embeddedJson(b);
    const aj = embeddedJson(a);
    if (bj !== undefined && aj !== undefined) {
      this.walk(bj, aj, undefined, undefined, undefined, parts, replacePaths, out);
      return;
    }
    emit(b === undefined ? undefined : this.display(b, bs, undefined), a === undefined ? undefined : this.display(a, as, au));
  }
}

function forcesReplacement(parts: readonly PathPart[], replacePaths: readonly (readonly PathPart[])[]): boolean {
  return replacePaths.some((rp) => {
    const n = Math.min(rp.length, parts.length);
    for (let i = 0; i < n; i++) if (String(rp[i]) !== String(parts[i])) return false;
    return true;
  });
}
