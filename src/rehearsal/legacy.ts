/**
 * The legacy configuration (`aws-production/terraform`, hand-written HCL) made appliable against the
 * emulator, and its state made to look as the real one would afterwards.
 *
 * The random provider cannot be installed here (only the AWS provider is mirrored), so before the
 * apply each `random_password` becomes a `terraform_data` stand-in holding a password generated here
 * with the block's own length and character set, and the provider's `required_providers` entry is
 * dropped. The backend and the AWS provider are overridden by the workspace (src/rehearsal/workspace.ts).
 * After the apply, {@link restoreRandomInState} turns each stand-in back into the `random_password`
 * instance the real provider would have written (`result` = the password), so `migrate plan` sees the
 * legacy state exactly as production has it (34 instances, a `random_password.db_password`).
 */
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Json, stubAddressFor } from '../terraform/offline';

/** A `random_password` block of the legacy configuration, with the literal arguments it sets. */
export interface LegacyRandomPassword {
  readonly name: string;
  readonly file: string;
  readonly length: number;
  readonly special: boolean;
  readonly upper: boolean;
  readonly lower: boolean;
  readonly numeric: boolean;
  readonly overrideSpecial: string | null;
}

export interface PreparedLegacySource {
  /** The directory holding the rewritten copy (pass it as `sourceDir` to prepareEmulatorWorkspace). */
  readonly dir: string;
  readonly passwords: readonly (LegacyRandomPassword & { readonly value: string })[];
  /** What was changed, one line each (printed by the scenario). */
  readonly notes: readonly string[];
}

/**
 * The index just past the `}` that closes the block opened at `open` (which must be a `{`), skipping
 * quoted strings (with escapes and `${...}` templates) and comments.
 */
export function closingBrace(text: string, open: number): number {
  if (text[open] !== '{') throw new Error(`closingBrace: no "{" at offset ${open}`);
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i += 1;
      let template = 0;
      while (i < text.length && (text[i] !== '"' || template > 0)) {
        if (text[i] === '\\') i += 1;
        else if (text[i] === '$' && text[i + 1] === '{') {
          template += 1;
          i += 1;
        }
        else if (text[i] === '}' && template > 0) template -= 1;
        i += 1;
      }
    } else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === '{') depth += 1;
    else if (ch === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  throw new Error(`unbalanced braces: the block opened at offset ${open} is never closed`);
}

/** `name = <literal>` arguments of a block body (numbers, booleans, quoted strings); anything else is reported. */
function literalArguments(body: string, where: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const line of body.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    const raw = m[2];
    if (/^-?\d+$/.test(raw)) out[m[1]] = Number(raw);
    else if (raw === 'true' || raw === 'false') out[m[1]] = raw === 'true';
    else if (/^"(?:[^"\\$]|\\.|\$(?!\{))*"$/.test(raw)) out[m[1]] = JSON.parse(raw);
    else throw new Error(`${where}: ${m[1]} = ${raw} is not a literal; the rehearsal can only stand in for random_password blocks with literal arguments`);
  }
  return out;
}

const RANDOM_PASSWORD_BLOCK = /resource\s+"random_password"\s+"([A-Za-z0-9_-]+)"\s*\{/g;
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
/** The random provider's default special characters. */
const DEFAULT_SPECIAL = '!@#$%&*()-_=+[]{}<>:?';

/** A password as the random provider would make it: `length` characters from the enabled classes, one of each at least. */
export function generatePassword(p: Pick<LegacyRandomPassword, 'length' | 'special' | 'upper' | 'lower' | 'numeric' | 'overrideSpecial'>, pick: (n: number) => number = randomInt): string {
  const classes = [p.upper ? UPPER : '', p.lower ? LOWER : '', p.numeric ? DIGITS : '', p.special ? p.overrideSpecial ?? DEFAULT_SPECIAL : ''].filter((c) => c.length > 0);
  if (classes.length === 0 || p.length < classes.length) throw new Error(`random_password: length ${p.length} cannot hold one character of each of ${classes.length} enabled class(es)`);
  const all = classes.join('');
  const chars = classes.map((c) => c[pick(c.length)]);
  while (chars.length < p.length) chars.push(all[pick(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** An HCL quoted string for `value`: JSON escapes, plus `$${` / `%%{` so template markers stay literal. */
export function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{');
}

/** Removes `random = { ... }` from `required_providers` blocks. */
function dropRandomProvider(text: string): { text: string; dropped: boolean } {
  const m = /required_providers\s*\{/.exec(text);
  if (!m) return { text, dropped: false };
  const open = m.index + m[0].length - 1;
  const end = closingBrace(text, open);
  const block = text.slice(open, end);
  const entry = /\n[ \t]*random\s*=\s*\{/.exec(block);
  if (!entry) return { text, dropped: false };
  const entryOpen = open + entry.index + entry[0].length - 1;
  const entryEnd = closingBrace(text, entryOpen);
  return { text: text.slice(0, open + entry.index) + text.slice(entryEnd), dropped: true };
}

/**
 * Copies the `.tf` files of `sourceDir` into `outDir` with every `random_password` replaced by a
 * `terraform_data` stand-in (input: a generated password) and every `random_password.<name>.result`
 * reference rewritten to the stand-in's `output`. Other random_* types are refused (none exist in
 * the legacy configuration; adding one needs a stand-in here).
 */
export function prepareLegacySource(sourceDir: string, outDir: string, pick: (n: number) => number = randomInt): PreparedLegacySource {
  const files = fs.readdirSync(sourceDir).filter((f) => f.endsWith('.tf')).sort();
  if (files.length === 0) throw new Error(`${sourceDir}: no .tf files`);
  fs.mkdirSync(outDir, { recursive: true });
  const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(sourceDir, f), 'utf8')]));
  const notes: string[] = [];
  const passwords: (LegacyRandomPassword & { value: string })[] = [];
  const problems: string[] = [];

  for (const [file, original] of texts) {
    let text = original;
    const other = /resource\s+"(random_(?!password")[a-z_]+)"\s+"([A-Za-z0-9_-]+)"/.exec(text);
    if (other) problems.push(`${file}: ${other[1]}.${other[2]} has no stand-in (only random_password is supported)`);
    for (let m = RANDOM_PASSWORD_BLOCK.exec(text); m; m = RANDOM_PASSWORD_BLOCK.exec(text)) {
      const open = m.index + m[0].length - 1;
      const end = closingBrace(text, open);
      const args = literalArguments(text.slice(open + 1, end - 1), `${file}: random_password.${m[1]}`);
      if (typeof args.length !== 'number') throw new Error(`${file}: random_password.${m[1]} has no literal length`);
      const spec: LegacyRandomPassword = {
        name: m[1],
        file,
        length: args.length,
        special: args.special !== false,
        upper: args.upper !== false,
        lower: args.lower !== false,
        numeric: args.numeric !== false,
        overrideSpecial: typeof args.override_special === 'string' ? args.override_special : null,
      };
      const value = generatePassword(spec, pick);
      passwords.push({ ...spec, value });
      const stand = stubAddressFor('random_password', m[1]);
      const replacement = `resource "terraform_data" "${stand.split('.')[1]}" {\n  # rehearsal stand-in for random_password.${m[1]} (the random provider is not installable offline)\n  input = ${hclString(value)}\n}`;
      text = text.slice(0, m.index) + replacement + text.slice(end);
      RANDOM_PASSWORD_BLOCK.lastIndex = m.index + replacement.length;
      notes.push(`stood in for random_password.${m[1]} (${file}) with ${stand}: a generated ${spec.length}-character password`);
    }
    RANDOM_PASSWORD_BLOCK.lastIndex = 0;
    texts.set(file, text);
  }
  if (problems.length > 0) throw new Error(`cannot prepare ${sourceDir} for the emulator:\n  ${problems.join('\n  ')}`);

  for (const [file, text] of texts) {
    let out = text;
    for (const p of passwords) {
      out = out.replace(new RegExp(`\\brandom_password\\.${p.name}\\.result\\b`, 'g'), `${stubAddressFor('random_password', p.name)}.output`);
    }
    const dropped = dropRandomProvider(out);
    if (dropped.dropped) notes.push(`dropped the random provider from required_providers (${file})`);
    fs.writeFileSync(path.join(outDir, file), dropped.text);
  }
  const left = [...texts.values()].some((t) => /\brandom_password\.[A-Za-z0-9_-]+\.(?!result)/.test(t));
  if (left) throw new Error(`${sourceDir}: a random_password attribute other than result is referenced; the stand-in only provides result`);
  return { dir: outDir, passwords, notes };
}

/**
 * The state after applying the prepared copy, made to look like the real provider's: each
 * `terraform_data` stand-in becomes the `random_password` instance (schema version 3) holding the
 * generated password as `result`, sensitive like the real one. Returns a new object.
 */
export function restoreRandomInState(state: Json, passwords: PreparedLegacySource['passwords']): Json {
  const out = JSON.parse(JSON.stringify(state));
  const missing: string[] = [];
  for (const p of passwords) {
    const standName = stubAddressFor('random_password', p.name).split('.')[1];
    const r = (out.resources ?? []).find((x: Json) => x.mode === 'managed' && x.type === 'terraform_data' && x.name === standName && !x.module);
    if (!r) {
      missing.push(`terraform_data.${standName}`);
      continue;
    }
    r.type = 'random_password';
    r.name = p.name;
    r.provider = 'provider["registry.terraform.io/hashicorp/random"]';
    r.instances = [
      {
        schema_version: 3,
        attributes: {
          id: 'none',
          length: p.length,
          special: p.special,
          upper: p.upper,
          lower: p.lower,
          numeric: p.numeric,
          override_special: p.overrideSpecial,
          min_lower: 0,
          min_upper: 0,
          min_numeric: 0,
          min_special: 0,
          keepers: null,
          result: p.value,
          // Not computed here (no bcrypt): nothing in either configuration reads it.
          bcrypt_hash: '',
        },
        sensitive_attributes: [[{ type: 'get_attr', value: 'result' }], [{ type: 'get_attr', value: 'bcrypt_hash' }]],
      },
    ];
  }
  if (missing.length > 0) throw new Error(`the legacy state holds no ${missing.join(', ')}: was the prepared copy applied?`);
  return out;
}
