/**
 * Turning bytes into a {@link PlanDocument}: encoding detection (UTF-8, UTF-16 with a BOM, as
 * Windows PowerShell's `>` writes), JSON parsing with positions, and the checks that tell a plan
 * apart from the things people pass by mistake (a state file, `terraform show -json` of a state,
 * the human-readable plan, a truncated file, a future format version).
 */
import { PlanDocument } from './plan-types';
import { isObject } from './json';
import { InfraError } from '../errors';

/** Bad input: the message is for the user as is (the CLI prints it and exits 1). */
export class PlanInputError extends InfraError {}

/** Plan JSON format major versions this module understands (0.x: Terraform 0.12-0.15, 1.x: Terraform 1.0+). */
export const SUPPORTED_FORMAT_MAJORS: readonly number[] = [0, 1];

/** Decodes a plan file's bytes: UTF-8 (with or without BOM) or UTF-16 LE/BE with a BOM. */
export function decodePlanBytes(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  // UTF-16 without a BOM: ASCII JSON then has a NUL in every other byte.
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return bytes.toString('utf16le');
  return bytes.toString('utf8');
}

/** "line L, column C" (1-based; columns in UTF-16 code units, as editors count them) of `position` in `text`. */
export function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return `line ${line}, column ${position - lineStart + 1}`;
}

/** Code unit (or byte) at a position, or a negative number past the end of the input. */
export type CodeAt = (i: number) => number;

/** What {@link firstJsonError} found: the position of the first offending character, or that the input ends first. */
export type JsonErrorAt = { readonly at: number } | { readonly endsEarly: true } | { readonly valid: true; readonly end: number };

const isJsonWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
/** The characters that may follow a backslash (besides `u`): " \ / b f n r t. */
const ESCAPES = [0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74];

/**
 * Where the JSON value starting at `start` first goes wrong (JSON.parse's messages do not always
 * carry a position). Works on UTF-16 code units of a string and on UTF-8 bytes alike (everything
 * it checks is ASCII), reads forward only, and keeps one entry per open container: a reader can
 * stream a file through it. Only called after parsing failed, so its speed does not matter much.
 */
export function firstJsonError(code: CodeAt, start: number): JsonErrorAt {
  const stack: number[] = []; // 0x7b or 0x5b per open container
  let i = start;
  const ws = () => {
    while (isJsonWs(code(i))) i++;
  };
  // A bad literal or number is reported where it starts (a number's bad fraction or exponent where
  // that starts); one the input cuts short (`tr`, `-`, `1.`, `1e+`) ends early.
  const literal = (word: string): boolean => {
    for (let k = 0; k < word.length; k++) {
      if (code(i + k) === word.charCodeAt(k)) continue;
      if (code(i + k) < 0) i += k;
      return false;
    }
    i += word.length;
    return true;
  };
  const string = (): boolean => {
    for (i++; ; i++) {
      const c = code(i);
      if (c < 0 || c === 0x22) break;
      if (c < 0x20) return false;
      if (c === 0x5c) {
        // An escape: one of \" \\ \/ \b \f \n \r \t, or \u and four hex digits; reported at its backslash.
        const e = code(i + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(code(i + k))) return code(i + k) < 0 ? ((i += k), false) : false;
          i += 5;
        } else if (e < 0) return (i += 1), false;
        else if (!ESCAPES.includes(e)) return false;
        else i++;
      }
    }
    if (code(i) < 0) return false;
    i++;
    return true;
  };
  const digits = (from: number): number => {
    while (isDigit(code(from))) from++;
    return from;
  };
  const number = (): boolean => {
    let j = code(i) === 0x2d ? i + 1 : i;
    if (code(j) === 0x30) j++;
    else if (isDigit(code(j))) j = digits(j);
    else return code(j) < 0 && j > i ? ((i = j), false) : false;
    if (code(j) === 0x2e && code(j + 1) < 0) return (i = j + 1), false;
    if (code(j) === 0x2e && isDigit(code(j + 1))) j = digits(j + 1);
    if (code(j) === 0x65 || code(j) === 0x45) {
      const k = code(j + 1) === 0x2b || code(j + 1) === 0x2d ? j + 2 : j + 1;
      if (code(k) < 0) return (i = k), false;
      if (isDigit(code(k))) j = digits(k);
    }
    i = j;
    return true;
  };
  const fail = (): JsonErrorAt => (code(i) < 0 ? { endsEarly: true } : { at: i });
  // A value, then what may follow it in its container, until the outermost value ends.
  for (;;) {
    ws();
    const c = code(i);
    if (c === 0x7b || c === 0x5b) {
      stack.push(c);
      i++;
      ws();
      if (code(i) === (c === 0x7b ? 0x7d : 0x5d)) {
        stack.pop();
        i++;
      } else if (c === 0x5b) continue;
      else {
        if (code(i) !== 0x22 || !string()) return fail();
        ws();
        if (code(i) !== 0x3a) return fail();
        i++;
        continue;
      }
    } else if (c === 0x22) {
      if (!string()) return fail();
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      if (!literal(c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null')) return fail();
    } else if (!number()) return fail();
    // After a value: close containers, or a comma and the next member or element.
    for (;;) {
      if (stack.length === 0) return { valid: true, end: i };
      ws();
      const open = stack[stack.length - 1];
      const d = code(i);
      if (d === (open === 0x7b ? 0x7d : 0x5d)) {
        stack.pop();
        i++;
        continue;
      }
      if (d !== 0x2c) return fail();
      i++;
      if (open === 0x7b) {
        ws();
        if (code(i) !== 0x22 || !string()) return fail();
        ws();
        if (code(i) !== 0x3a) return fail();
        i++;
      }
      break;
    }
  }
}

/**
 * Offset of the first syntax error in `text`; `text.length` when it ends early; -1 when it is valid.
 */
export function jsonErrorOffset(text: string): number {
  const code: CodeAt = (i) => (i < text.length ? text.charCodeAt(i) : -1);
  const found = firstJsonError(code, 0);
  if ('endsEarly' in found) return text.length;
  if ('at' in found) return found.at;
  let i = found.end;
  while (isJsonWs(code(i))) i++;
  return i < text.length ? i : -1;
}

/** The message for input that stops in the middle of the JSON. */
export function endsEarlyError(source: string): PlanInputError {
  return new PlanInputError(`${source}: the JSON ends early (truncated file or interrupted pipe?)`);
}

/** The message for a syntax error at `where` ("line L, column C"; the text there is never quoted). */
export function notValidJsonError(source: string, where: string | undefined): PlanInputError {
  return new PlanInputError(`${source}: not valid JSON${where ? ` at ${where}` : ''} (the text there is not shown: plans can hold secrets)`);
}

/**
 * JSON.parse, with errors worded for the user. JSON.parse's own message quotes the text around the
 * error, which may be a secret (a plan holds passwords in clear), so only the position is given.
 */
function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = jsonErrorOffset(text);
    if (at >= text.length) throw endsEarlyError(source);
    throw notValidJsonError(source, at >= 0 ? lineAndColumn(text, at) : undefined);
  }
}

const HUMAN_PLAN = /^\s*(Terraform used the selected providers|Terraform will perform|No changes\.|Refreshing state|Plan: \d+ to add|╷)/;

/**
 * Parses and checks a plan JSON document. Throws {@link PlanInputError} with a message naming the
 * problem and what is expected instead.
 */
export function parsePlan(text: string, source = 'input'): PlanDocument {
  if (text.trim() === '') {
    throw new PlanInputError(`${source}: empty input; expected the output of \`terraform show -json <planfile>\``);
  }
  if (HUMAN_PLAN.test(text)) {
    throw new PlanInputError(
      `${source}: this is Terraform's human-readable plan output, not JSON; run \`terraform plan -out=tfplan\` then \`terraform show -json tfplan > plan.json\``,
    );
  }
  const doc = parseJson(text, source);
  return checkPlan(doc, source);
}


/** The kind of a value, never the value (it may be a secret). */
function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Requires `map`, when present, to be an object whose entries are objects. */
function checkEntries(map: unknown, where: string, problems: string[]): void {
  if (map === undefined) return;
  if (!isObject(map)) return void problems.push(`"${where}" is ${describe(map)}; expected an object`);
  for (const [name, entry] of Object.entries(map)) {
    if (!isObject(entry)) problems.push(`${where}[${JSON.stringify(name)}] is ${describe(entry)}; expected an object`);
  }
}

/** `planned_values` / `prior_state.values`: outputs and the module tree of resources. */
function checkStateValues(values: unknown, where: string, problems: string[]): void {
  if (values === undefined) return;
  if (!isObject(values)) return void problems.push(`"${where}" is ${describe(values)}; expected an object`);
  checkEntries(values.outputs, `${where}.outputs`, problems);
  const walk = (module: unknown, at: string): void => {
    if (module === undefined) return;
    if (!isObject(module)) return void problems.push(`"${at}" is ${describe(module)}; expected an object`);
    for (const key of ['resources', 'child_modules'] as const) {
      const list = module[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        problems.push(`"${at}.${key}" is ${describe(list)}; expected an array`);
        continue;
      }
      list.forEach((item, i) => {
        if (key === 'child_modules') walk(item, `${at}.child_modules[${i}]`);
        else if (!isObject(item)) problems.push(`${at}.resources[${i}] is ${describe(item)}; expected an object`);
      });
    }
  };
  walk(values.root_module, `${where}.root_module`);
}

/** `configuration.root_module` (and called modules): outputs and variables are objects. */
function checkConfigModule(module: unknown, where: string, problems: string[]): void {
  if (module === undefined) return;
  if (!isObject(module)) return void problems.push(`"${where}" is ${describe(module)}; expected an object`);
  checkEntries(module.outputs, `${where}.outputs`, problems);
  checkEntries(module.variables, `${where}.variables`, problems);
  checkEntries(module.module_calls, `${where}.module_calls`, problems);
  if (isObject(module.module_calls)) {
    for (const [name, call] of Object.entries(module.module_calls)) {
      if (isObject(call)) checkConfigModule(call.module, `${where}.module_calls[${JSON.stringify(name)}].module`, problems);
    }
  }
}

/** Appends what is wrong with `resource_changes[i]` or `resource_drift[i]` (as {@link checkPlan} words it) to `problems`. */
export function changeEntryProblems(key: 'resource_changes' | 'resource_drift', rc: unknown, i: number, problems: string[]): void {
  if (!isObject(rc)) return void problems.push(`${key}[${i}] is ${describe(rc)}; expected an object`);
  const change = rc.change;
  if (!isObject(change) || !Array.isArray(change.actions)) problems.push(`${key}[${i}] has no "change.actions" array`);
  // Every Terraform version writes type and name (they rebuild the address Terraform 0.15.4-1.0.x
  // left out of drift entries); the other identifying fields are strings when present.
  const wrong = ['type', 'name'].filter((f) => typeof rc[f] !== 'string');
  wrong.push(...['address', 'previous_address', 'module_address', 'mode', 'action_reason', 'deposed'].filter((f) => rc[f] !== undefined && rc[f] !== null && typeof rc[f] !== 'string'));
  if (wrong.length > 0) problems.push(`${key}[${i}]: ${wrong.map((f) => `"${f}"`).join(', ')} must be ${wrong.length > 1 ? 'strings' : 'a string'}`);
  const paths = isObject(change) ? change.replace_paths : undefined;
  if (paths !== undefined && paths !== null && (!Array.isArray(paths) || !paths.every(Array.isArray))) {
    problems.push(`${key}[${i}]: "change.replace_paths" must be an array of paths (arrays)`);
  }
}

/**
 * Checks an already-parsed document (see {@link parsePlan}). `streamedChangeProblems`: the
 * `resource_changes` entries were checked one by one as they were read (with
 * {@link changeEntryProblems}) and are not in `doc`; their problems take their place in the list.
 */
export function checkPlan(doc: unknown, source = 'input', streamedChangeProblems?: readonly string[]): PlanDocument {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new PlanInputError(`${source}: expected a JSON object (terraform show -json output), got ${Array.isArray(doc) ? 'an array' : doc === null ? 'null' : typeof doc}`);
  }
  const d = doc as Record<string, unknown>;
  const hasPlanParts = 'resource_changes' in d || 'planned_values' in d || 'output_changes' in d;
  if (!('format_version' in d) && typeof d.version === 'number' && Array.isArray(d.resources)) {
    throw new PlanInputError(
      `${source}: this is a Terraform state file (state version ${d.version}), not a plan; run \`terraform plan -out=tfplan\` then \`terraform show -json tfplan\``,
    );
  }
  if (!hasPlanParts && 'values' in d) {
    throw new PlanInputError(
      `${source}: this is the JSON of a state (\`terraform show -json\` without a plan file), not a plan; pass the plan file: \`terraform show -json tfplan\``,
    );
  }
  const problems: string[] = [];
  if (!hasPlanParts) {
    problems.push('no "resource_changes", "planned_values" or "output_changes": this does not look like `terraform show -json <planfile>` output');
  }
  const version = d.format_version;
  if (typeof version !== 'string') {
    problems.push(`"format_version" is ${version === undefined ? 'missing' : JSON.stringify(version)}; expected a string such as "1.2"`);
  } else {
    const major = /^(\d+)\.\d+$/.exec(version);
    if (!major) problems.push(`"format_version" ${JSON.stringify(version)} is not of the form MAJOR.MINOR`);
    else if (!SUPPORTED_FORMAT_MAJORS.includes(Number(major[1]))) {
      problems.push(
        `"format_version" ${JSON.stringify(version)} is not supported: this tool reads plan JSON format ${SUPPORTED_FORMAT_MAJORS.map((m) => `${m}.x`).join(' and ')}; a new major version may change meanings, so upgrade mlflow-infra`,
      );
    }
  }
  for (const key of ['resource_changes', 'resource_drift', 'relevant_attributes'] as const) {
    if (key in d && !Array.isArray(d[key])) problems.push(`"${key}" must be an array, got ${typeof d[key]}`);
  }
  if ('output_changes' in d && (typeof d.output_changes !== 'object' || d.output_changes === null || Array.isArray(d.output_changes))) {
    problems.push('"output_changes" must be an object');
  }
  for (const key of ['resource_changes', 'resource_drift'] as const) {
    if (key === 'resource_changes' && streamedChangeProblems) {
      problems.push(...streamedChangeProblems);
      continue;
    }
    const list = d[key];
    if (!Array.isArray(list)) continue;
    list.forEach((rc, i) => changeEntryProblems(key, rc, i, problems));
  }
  if (isObject(d.output_changes)) {
    for (const [name, oc] of Object.entries(d.output_changes)) {
      if (!isObject(oc) || !Array.isArray(oc.actions)) problems.push(`output_changes[${JSON.stringify(name)}] has no "actions" array`);
    }
  }
  if (Array.isArray(d.relevant_attributes)) {
    d.relevant_attributes.forEach((ra, i) => {
      if (!isObject(ra) || typeof ra.resource !== 'string' || !Array.isArray(ra.attribute)) {
        problems.push(`relevant_attributes[${i}] is not a {"resource": string, "attribute": array} object`);
      }
    });
  }
  checkStateValues(d.planned_values, 'planned_values', problems);
  if ('prior_state' in d) {
    if (!isObject(d.prior_state)) problems.push(`"prior_state" is ${describe(d.prior_state)}; expected an object`);
    else checkStateValues(d.prior_state.values, 'prior_state.values', problems);
  }
  checkEntries(d.variables, 'variables', problems);
  if ('configuration' in d) {
    if (!isObject(d.configuration)) problems.push(`"configuration" is ${describe(d.configuration)}; expected an object`);
    else checkConfigModule(d.configuration.root_module, 'configuration.root_module', problems);
  }
  if (problems.length > 0) throw new PlanInputError(`${source}: not a usable plan:\n  - ${problems.slice(0, 20).join('\n  - ')}${problems.length > 20 ? `\n  - ... and ${problems.length - 20} more` : ''}`);
  return d as unknown as PlanDocument;
}

