/**
 * Reading plan JSON bytes without building the parts of the document a review never reads.
 *
 * `terraform show -json` repeats every resource's values up to three times: in `resource_changes`
 * (before and after), in `planned_values` and in `prior_state`. A review needs all of
 * `resource_changes` for the resources that change, but from the other copies only the values that
 * are marked sensitive (to redact them elsewhere). Parsing the whole text at once holds the text,
 * its bytes and the full tree together: about 4.7x the file at peak on a 58 MiB plan.
 *
 * {@link parsePlanBytes} instead walks the document's outer structure over the bytes and hands each
 * resource object to `JSON.parse` on its own, keeping only what {@link leanChange} and
 * {@link leanStateResource} leave of it. Every byte still goes through `JSON.parse` (nothing is
 * skipped unchecked). Malformed input is explained from where the walk stopped, with the same
 * messages as {@link parsePlan} (the problem, its line and column): the value that failed is
 * checked forward from its start, and the line and column are counted over the bytes before it,
 * streamed again. The file is never read whole, so there is no ceiling below the size of a valid
 * plan (a whole-text parse stops at V8's 512 MiB string limit).
 *
 * {@link streamPlanBytes} keeps even less: it hands each `resource_changes` entry and each state
 * resource to a {@link PlanStream} as it is parsed (`review-plan` folds them into its review:
 * src/plan-review/stream.ts) and returns the rest of the document.
 *
 * What is dropped, and why the review cannot tell (a test compares reviews of both parses on every
 * fixture): for `no-op` and `read` changes, `before`/`after` outside the sensitive masks (the review
 * lists no attributes and no security findings for them and drift only compares against updates and
 * replacements); for resources in `planned_values` and `prior_state`, `values` outside
 * `sensitive_values` (only the redactor reads them).
 */
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { changeEntryProblems, checkPlan, decodePlanBytes, endsEarlyError, firstJsonError, notValidJsonError, parsePlan, PlanInputError } from './plan-input';
import { JsonValue, Mask, PlanDocument, PlanResourceChange } from './plan-types';
import { isObject } from './json';

/**
 * The structural reader met something it does not expect: at `at` itself (a missing comma, input
 * that ends, trailing text), or, when `inValue`, somewhere in the value that starts at `at`.
 */
class Unexpected extends Error {
  constructor(
    readonly at: number,
    readonly inValue = false,
  ) {
    super('unexpected input');
  }
}

/**
 * Nesting deeper than any Terraform value (the review walks values recursively, so this bounds its
 * stack): a clear input error rather than a stack overflow.
 */
export const MAX_DEPTH = 512;
class TooDeep extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const END = -1;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * End (exclusive) of the JSON value starting at `i` in `b[0..n)`: matching bracket for containers
 * (strings and escapes skipped), closing quote for strings, the next delimiter for scalars; `-1`
 * when `n` comes first. It does not validate: `JSON.parse` of the slice does. This loop sees
 * every byte of the plan, so it is kept flat.
 */
function valueEnd(b: Uint8Array, i: number, n: number): number {
  const c = b[i];
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    for (; i < n; i++) {
      const d = b[i];
      if (d === QUOTE) {
        for (i++; i < n; i++) {
          const e = b[i];
          if (e === BACKSLASH) i++;
          else if (e === QUOTE) break;
        }
      } else if (d === LBRACE || d === LBRACKET) {
        if (++depth > MAX_DEPTH) throw new TooDeep();
      } else if (d === RBRACE || d === RBRACKET) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  if (c === QUOTE) {
    for (i++; i < n; i++) {
      const e = b[i];
      if (e === BACKSLASH) i++;
      else if (e === QUOTE) return i + 1;
    }
    return -1;
  }
  while (i < n && b[i] !== COMMA && b[i] !== RBRACE && b[i] !== RBRACKET && !isWs(b[i])) i++;
  return i < n ? i : -1;
}

/** Reads up to `length` bytes into `target` at `offset`; 0 at the end of the input. */
export type ReadBytes = (target: Buffer, offset: number, length: number) => number;

/** Options of {@link parsePlanBytes} and {@link parsePlanFile}. */
export interface LeanParseOptions {
  /** First size of the window over a reader's bytes (it doubles when one value does not fit). Default 1 MiB. */
  readonly windowBytes?: number;
}

const DEFAULT_WINDOW = 1 << 20;

/**
 * A forward-only window over the input: positions are absolute, and only the bytes from the
 * position being read onwards are kept, so a plan file is never in memory whole. The window
 * doubles when one value does not fit (one huge resource, say).
 */
class ByteWindow {
  private base = 0;
  private length: number;
  private eof: boolean;

  constructor(
    private bytes: Buffer,
    private readonly read?: ReadBytes,
  ) {
    this.length = read ? 0 : bytes.length;
    this.eof = !read;
    if (read) this.fill(0);
  }

  /** Byte at `i`, or {@link END} past the end of the input. */
  byte(i: number): number {
    while (i - this.base >= this.length) {
      if (this.eof) return END;
      this.fill(i);
    }
    return this.bytes[i - this.base];
  }

  skipWs(i: number): number {
    while (isWs(this.byte(i))) i++;
    return i;
  }

  /** Parses the JSON value at `i`; returns it and the position after it. */
  value(i: number): [unknown, number] {
    for (;;) {
      const rel = i - this.base;
      if (rel < this.length) {
        const end = valueEnd(this.bytes, rel, this.length);
        if (end !== -1) return [this.parse(rel, end), this.base + end];
        if (this.eof) {
          // Only a scalar may end with the input; anything else is cut short (or malformed).
          if (this.bytes[rel] === LBRACE || this.bytes[rel] === LBRACKET || this.bytes[rel] === QUOTE) throw new Unexpected(i, true);
          return [this.parse(rel, this.length), this.base + this.length];
        }
      } else if (this.eof) throw new Unexpected(i);
      this.fill(i);
    }
  }

  private parse(start: number, end: number): unknown {
    try {
      return JSON.parse(this.bytes.toString('utf8', start, end));
    } catch {
      throw new Unexpected(this.base + start, true);
    }
  }

  /** Drops the bytes before `keepFrom` and reads more after the rest (growing when it is most of the window). */
  private fill(keepFrom: number): void {
    const rel = keepFrom - this.base;
    if (rel > this.length) throw new Error(`ByteWindow: position ${keepFrom} skips unread input`);
    const kept = Math.max(0, this.length - rel);
    if (kept > this.bytes.length / 2) {
      const grown = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(grown, 0, rel, this.length);
      this.bytes = grown;
    } else if (kept > 0) this.bytes.copy(this.bytes, 0, rel, this.length);
    this.base = keepFrom;
    this.length = kept;
    while (this.length < this.bytes.length) {
      const n = this.read!(this.bytes, this.length, this.bytes.length - this.length);
      if (n === 0) {
        this.eof = true;
        return;
      }
      this.length += n;
    }
  }
}

/** Like JSON.parse: a member named `__proto__` becomes an own property, not the prototype. */
function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Reads a value at `i` (after whitespace): returns it and the position after it. */
type ValueReader = (w: ByteWindow, i: number) => [unknown, number];

const parseValue: ValueReader = (w, i) => w.value(i);

/**
 * Reads an object member by member; `readers` picks how each member's value is read (members
 * without one are parsed whole). Values of the wrong kind for their reader (a `resource_changes`
 * that is not an array, say) are parsed whole too, so {@link checkPlan} reports them as usual.
 */
function objectReader(readers: Record<string, ValueReader>): ValueReader {
  return (w, i) => {
    if (w.byte(i) !== LBRACE) return w.value(i);
    const out: Record<string, unknown> = {};
    i = w.skipWs(i + 1);
    if (w.byte(i) === RBRACE) return [out, i + 1];
    for (;;) {
      if (w.byte(i) !== QUOTE) throw new Unexpected(i);
      const [key, keyEnd] = w.value(i) as [string, number];
      i = w.skipWs(keyEnd);
      if (w.byte(i) !== COLON) throw new Unexpected(i);
      i = w.skipWs(i + 1);
      const [value, end] = (Object.prototype.hasOwnProperty.call(readers, key) ? readers[key] : parseValue)(w, i);
      setMember(out, key, value);
      i = w.skipWs(end);
      const c = w.byte(i);
      if (c === COMMA) i = w.skipWs(i + 1);
      else if (c === RBRACE) return [out, i + 1];
      else throw new Unexpected(i);
    }
  };
}

/**
 * Reads an array element by element through `element` (each parsed on its own, then mapped); with
 * `each`, every element is handed to it with its index instead of being kept (the array read is empty).
 */
function arrayReader(element: ValueReader, each?: (value: unknown, index: number) => void): ValueReader {
  return (w, i) => {
    if (w.byte(i) !== LBRACKET) return w.value(i);
    const out: unknown[] = [];
    i = w.skipWs(i + 1);
    if (w.byte(i) === RBRACKET) return [out, i + 1];
    for (let index = 0; ; index++) {
      const [value, end] = element(w, i);
      if (each) each(value, index);
      else out.push(value);
      i = w.skipWs(end);
      const c = w.byte(i);
      if (c === COMMA) i = w.skipWs(i + 1);
      else if (c === RBRACKET) return [out, i + 1];
      else throw new Unexpected(i);
    }
  };
}

function mapped(f: (value: unknown) => unknown): ValueReader {
  return (w, i) => {
    const [value, end] = w.value(i);
    return [f(value), end];
  };
}

/** The parts of `value` that `mask` marks (`true` keeps a whole subtree); `undefined` when none. */
export function pickMasked(value: JsonValue | undefined, mask: Mask | undefined): JsonValue | undefined {
  if (mask === true) return value;
  if (mask === null || typeof mask !== 'object' || value === null || typeof value !== 'object') return undefined;
  const out: Record<string, JsonValue> | JsonValue[] = Array.isArray(value) ? [] : {};
  let any = false;
  for (const key of Object.keys(mask)) {
    const m = (mask as Record<string, JsonValue>)[key];
    if (m === false || m === null || m === undefined) continue;
    const picked = pickMasked((value as Record<string, JsonValue>)[key], m);
    if (picked === undefined) continue;
    if (Array.isArray(out)) out[Number(key)] = picked;
    else setMember(out, key, picked);
    any = true;
  }
  return any ? out : undefined;
}


/** Actions whose `before`/`after` a review reads only for redaction. */
const VALUES_UNREAD = new Set(['no-op', 'read']);

/**
 * A `resource_changes` entry as the review needs it: unchanged, except that a `no-op` or `read`
 * change keeps only the sensitive parts of `before` and `after`.
 */
export function leanChange(rc: unknown): unknown {
  if (!isObject(rc) || !isObject(rc.change)) return rc;
  const change = rc.change as Record<string, JsonValue>;
  const actions = change.actions;
  if (!Array.isArray(actions) || actions.length !== 1 || !VALUES_UNREAD.has(actions[0] as string)) return rc;
  return {
    ...rc,
    change: { ...change, before: pickMasked(change.before, change.before_sensitive), after: pickMasked(change.after, change.after_sensitive) },
  };
}

/** A resource of `planned_values`/`prior_state`: `values` kept only where `sensitive_values` marks them. */
export function leanStateResource(r: unknown): unknown {
  if (!isObject(r) || !('values' in r)) return r;
  return { ...r, values: pickMasked(r.values as JsonValue, r.sensitive_values as Mask) };
}

/**
 * What a streamed read ({@link streamPlanBytes}) hands over as it goes instead of keeping it in the
 * document it returns.
 */
export interface PlanStream {
  /** A `resource_changes` member starts (once in a plan; a second one would replace the first in a parsed document). */
  changesStart(): void;
  /** Each `resource_changes` entry as parsed, in order; only while every entry so far is valid (as {@link checkPlan} sees it). */
  change(rc: PlanResourceChange, index: number): void;
  /** `resource_drift` once read (Terraform writes it before `resource_changes`); kept in the document too. */
  drift(entries: unknown): void;
  /** Each resource object of `planned_values` and `prior_state` (the document keeps an empty object in its place). */
  stateResource(resource: Record<string, unknown>): void;
}

/** Stands for a state resource a stream consumed: an object, so the document's checks see one. */
const CONSUMED: Readonly<Record<string, never>> = Object.freeze({});

/** The reader of a whole plan: leaning what it keeps ({@link leanChange}, {@link leanStateResource}), or handing it to `stream`. */
function planReaderOf(stream?: PlanStream, changeProblems: string[] = []): ValueReader {
  const stateResource = stream ? (r: unknown) => (isObject(r) ? (stream.stateResource(r), CONSUMED) : r) : leanStateResource;
  /** A state module (root or child): resources pruned, child modules read the same way. */
  const stateResourcesReader = arrayReader(mapped(stateResource));
  /** A module `depth` levels down the `child_modules` tree (bounded like values, by {@link MAX_DEPTH}). */
  const moduleReader = (depth: number): ValueReader => {
    return (b, i) => {
      if (depth > MAX_DEPTH) throw new TooDeep();
      return objectReader({ resources: stateResourcesReader, child_modules: arrayReader(moduleReader(depth + 1)) })(b, i);
    };
  };
  const stateValuesReader = objectReader({ root_module: moduleReader(1) });
  const driftReader = arrayReader(parseValue);
  const changesReader = stream
    ? arrayReader(parseValue, (rc, index) => {
        changeEntryProblems('resource_changes', rc, index, changeProblems);
        if (changeProblems.length === 0) stream.change(rc as PlanResourceChange, index);
      })
    : arrayReader(mapped(leanChange));
  return objectReader({
    resource_changes: stream
      ? (w, i) => {
          stream.changesStart();
          return changesReader(w, i);
        }
      : changesReader,
    resource_drift: stream
      ? (w, i) => {
          const [value, end] = driftReader(w, i);
          stream.drift(value);
          return [value, end];
        }
      : driftReader,
    planned_values: stateValuesReader,
    prior_state: objectReader({ values: stateValuesReader }),
  });
}

const planReader = planReaderOf();

/**
 * Where plan bytes come from: all of them (stdin, tests), or a reader over a file (read in
 * windows). `reread` starts another reader at the first byte (to count lines up to an error);
 * `readAll` is for the rare inputs read whole (UTF-16, or not starting like an object).
 */
export type PlanBytes = Buffer | { readonly read: ReadBytes; readonly reread: () => ReadBytes; readonly readAll: () => Buffer };

/**
 * Parses `terraform show -json` output from its bytes (any encoding {@link decodePlanBytes} knows)
 * into the parts of a {@link PlanDocument} a review reads. Throws `PlanInputError` for anything
 * that is not a usable plan, with the same messages as {@link parsePlan}.
 */
export function parsePlanBytes(input: PlanBytes, source = 'input', options: LeanParseOptions = {}): PlanDocument {
  return parseUtf8(input, source, options, true)!;
}

/**
 * {@link parsePlanBytes} that hands the `resource_changes` entries and the state resources to
 * `stream` as it reads them (see {@link PlanStream}) and returns the rest of the document, checked
 * like {@link checkPlan} checks a whole one (the entries included). Undefined, having read only the
 * first bytes, for input that is not UTF-8 JSON starting with an object: parse those whole
 * ({@link parsePlanBytes} reads and explains them).
 */
export function streamPlanBytes(input: PlanBytes, stream: PlanStream, source = 'input', options: LeanParseOptions = {}): PlanDocument | undefined {
  return parseUtf8(input, source, options, true, stream);
}

function parseUtf8(input: PlanBytes, source: string, options: LeanParseOptions, mayBeUtf16: boolean, stream?: PlanStream): PlanDocument | undefined {
  const all = (): Buffer => (Buffer.isBuffer(input) ? input : input.readAll());
  const windowBytes = Math.max(2, options.windowBytes ?? DEFAULT_WINDOW);
  const w = Buffer.isBuffer(input) ? new ByteWindow(input) : new ByteWindow(Buffer.allocUnsafe(windowBytes), input.read);
  const first = w.byte(0);
  // UTF-16 (rare: Windows PowerShell's `>` writes UTF-16LE with a BOM): decoded, then read as UTF-8.
  if (mayBeUtf16 && (first === 0xff || first === 0xfe || (first !== 0 && w.byte(1) === 0))) {
    if (stream) return undefined;
    return parseUtf8(Buffer.from(decodePlanBytes(all()), 'utf8'), source, options, false);
  }
  const bom = first === 0xef && w.byte(1) === 0xbb && w.byte(2) === 0xbf;
  const start = w.skipWs(bom ? 3 : 0);
  // Anything not starting like an object (human plan output, an array, empty input) goes to the
  // text parser, which says what it is.
  if (w.byte(start) !== LBRACE) return stream ? undefined : parsePlan(decodePlanBytes(all()), source);
  let doc: unknown;
  const changeProblems: string[] = [];
  try {
    const [value, end] = (stream ? planReaderOf(stream, changeProblems) : planReader)(w, start);
    const after = w.skipWs(end);
    if (w.byte(after) !== END) throw new Unexpected(after);
    doc = value;
  } catch (err) {
    if (err instanceof TooDeep) {
      throw new PlanInputError(`${source}: values or modules nest deeper than ${MAX_DEPTH} levels; no Terraform plan does (a corrupt or hostile file?)`);
    }
    if (!(err instanceof Unexpected)) throw err;
    // Malformed: explained from where the walk stopped, forward only (the window streams on).
    let at = err.at;
    if (err.inValue) {
      const found = firstJsonError((i) => w.byte(i), at);
      if ('endsEarly' in found) throw endsEarlyError(source);
      // JSON.parse rejected it, so this cannot find it valid; if it ever did, no position is claimed.
      if (!('at' in found)) throw notValidJsonError(source, undefined);
      at = found.at;
    }
    if (w.byte(at) === END) throw endsEarlyError(source);
    throw notValidJsonError(source, lineAndColumnAt(Buffer.isBuffer(input) ? bufferReader(input) : input.reread(), bom ? 3 : 0, at));
  }
  return checkPlan(doc, source, stream ? changeProblems : undefined);
}

function bufferReader(bytes: Buffer): ReadBytes {
  let position = 0;
  return (target, offset, length) => {
    const n = bytes.copy(target, offset, position, Math.min(bytes.length, position + length));
    position += n;
    return n;
  };
}

/**
 * "line L, column C" of byte `at` as {@link parsePlan} counts it in the decoded text (after the
 * byte-order mark, columns in UTF-16 code units), streaming the bytes before it: a one-line plan
 * of any size is fine.
 */
function lineAndColumnAt(read: ReadBytes, textStart: number, at: number): string {
  const chunk = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, at)));
  const decoder = new StringDecoder('utf8');
  let position = 0;
  let line = 1;
  let column = 0;
  while (position < at) {
    const n = read(chunk, 0, Math.min(chunk.length, at - position));
    if (n === 0) break;
    const from = Math.max(0, textStart - position);
    position += n;
    if (from >= n) continue;
    const text = decoder.write(chunk.subarray(from, n));
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) column += text.length;
    else {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) line += 1;
      column = text.length - lastNewline - 1;
    }
  }
  column += decoder.end().length;
  return `line ${line}, column ${column + 1}`;
}

/**
 * {@link parsePlanBytes} over a file, read in windows (an error's line and column are counted by
 * reading the bytes before it again; pipes, which cannot be read by position or twice, are read
 * whole). File system errors (`ENOENT`,
 * `EISDIR`, ...) are thrown as they are.
 */
export function parsePlanFile(file: string, source = file, options: LeanParseOptions = {}): PlanDocument {
  return withPlanFile(file, (bytes) => parsePlanBytes(bytes, source, options));
}

/**
 * Runs `use` on a file's bytes as {@link PlanBytes}: a reader in windows, whose `reread` starts
 * again at the first byte (a pipe, which cannot be read by position or twice, is read whole). The
 * file is open while `use` runs. File system errors (`ENOENT`, `EISDIR`, ...) are thrown as they are.
 */
export function withPlanFile<T>(file: string, use: (bytes: PlanBytes) => T): T {
  const fd = fs.openSync(file, 'r');
  try {
    // Pipes (`<(terraform show -json p)`, /dev/stdin) cannot be read twice or by position: whole.
    if (!fs.fstatSync(fd).isFile()) return use(fs.readFileSync(fd));
    const reread = (): ReadBytes => {
      let from = 0;
      return (target, offset, length) => {
        const n = fs.readSync(fd, target, offset, length, from);
        from += n;
        return n;
      };
    };
    return use({ read: reread(), reread, readAll: () => fs.readFileSync(file) });
  } finally {
    fs.closeSync(fd);
  }
}
