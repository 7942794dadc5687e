/**
 * A small, STRICT reader for the YAML subset our GitHub workflow uses (no YAML library is installed):
 * block mappings, block sequences (`- item`, `- key: value` with the item's further keys below it),
 * literal block scalars (`|`), flow sequences of plain scalars (`[a, b]`), single- and double-quoted
 * scalars, plain scalars (true/false/integers become booleans/numbers), comments, and anchors on a
 * value (`key: &name` + block, or `key: &name value`) with aliases as a whole value (`key: *name`,
 * which returns the SAME object, so a test can tell a shared step list from a copy). GitHub Actions
 * reads anchors and aliases since 2025 but rejects the merge key `<<`, and so does this reader.
 * Anything else (tabs, tags, folded `>` scalars, flow mappings, several documents, duplicate keys or
 * anchors, an alias before its anchor, odd indentation) is an error naming the line, so the workflow
 * test never checks a misread file.
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export class YamlSubsetError extends Error {}

interface Line {
  readonly n: number;
  readonly indent: number;
  /** The line without its indentation (comments still in it). */
  readonly text: string;
}

function isBlank(text: string): boolean {
  return text === '' || text.startsWith('#');
}

/** Removes a trailing ` # comment` from a plain (unquoted) value. */
function stripComment(text: string): string {
  const i = text.search(/(^|\s)#/);
  return (i === -1 ? text : text.slice(0, i)).trimEnd();
}

function fail(line: Line | undefined, message: string): never {
  throw new YamlSubsetError(line ? `line ${line.n}: ${message}: ${line.text}` : message);
}

function scalar(raw: string, line: Line): YamlValue {
  if (raw.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\["\\nt])*)"\s*(#.*)?$/.exec(raw);
    if (!m) fail(line, 'unsupported double-quoted scalar');
    return JSON.parse(`"${m[1]}"`) as string;
  }
  if (raw.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(raw);
    if (!m) fail(line, 'unsupported single-quoted scalar');
    return m[1].replace(/''/g, "'");
  }
  const text = stripComment(raw);
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) fail(line, 'unterminated flow sequence');
    const inner = text.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map((item) => scalar(item.trim(), line));
  }
  if (/^[&*!{>|%@`]/.test(text)) fail(line, `unsupported YAML feature '${text[0]}'`);
  if (/: |:$/.test(text)) fail(line, 'ambiguous plain scalar (contains ": ")');
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === '' || text === '~' || text === 'null') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  return text;
}

/** Parses the subset; throws {@link YamlSubsetError} on anything outside it. */
export function parseYamlSubset(source: string): YamlValue {
  const lines: Line[] = source.split('\n').map((raw, i) => {
    const withoutCr = raw.replace(/\r$/, '');
    const indent = /^ */.exec(withoutCr)![0].length;
    if (/^ *\t/.test(withoutCr)) throw new YamlSubsetError(`line ${i + 1}: tabs are not allowed in indentation`);
    return { n: i + 1, indent, text: withoutCr.slice(indent).trimEnd() };
  });
  let pos = 0;
  const anchors = new Map<string, YamlValue>();
  const skipBlank = () => {
    while (pos < lines.length && isBlank(lines[pos].text)) pos++;
  };
  const peek = (): Line | undefined => {
    skipBlank();
    return lines[pos];
  };

  function blockScalar(parentIndent: number): string {
    const body: string[] = [];
    let indent = -1;
    while (pos < lines.length) {
      const l = lines[pos];
      if (l.text === '') {
        body.push('');
        pos++;
        continue;
      }
      if (l.indent <= parentIndent) break;
      if (indent === -1) indent = l.indent;
      if (l.indent < indent) fail(l, 'block scalar line indented less than its first line');
      body.push(' '.repeat(l.indent - indent) + l.text);
      pos++;
    }
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    return body.length === 0 ? '' : `${body.join('\n')}\n`;
  }

  /** The value after `key:` or `-`: inline text, a block scalar, or a nested block. */
  function valueAfter(rest: string, ownIndent: number, line: Line): YamlValue {
    const inline = rest.trim();
    const anchor = /^&([A-Za-z0-9_-]+)(?:\s+(.*))?$/.exec(inline);
    if (anchor) {
      if (anchors.has(anchor[1])) fail(line, `duplicate anchor '${anchor[1]}'`);
      const value = valueAfter(anchor[2] ?? '', ownIndent, line);
      anchors.set(anchor[1], value);
      return value;
    }
    const alias = /^\*([A-Za-z0-9_-]+)\s*(#.*)?$/.exec(inline);
    if (alias) {
      if (!anchors.has(alias[1])) fail(line, `alias '*${alias[1]}' before (or without) its anchor`);
      pos++;
      return anchors.get(alias[1])!;
    }
    if (inline === '|') {
      pos++;
      return blockScalar(ownIndent);
    }
    if (/^[|>][-+0-9]/.test(inline) || inline === '>') fail(line, 'only plain literal block scalars (|) are supported');
    if (stripComment(inline) !== '') {
      pos++;
      return scalar(inline, line);
    }
    pos++;
    const next = peek();
    if (!next || next.indent <= ownIndent) return null; // `key:` alone, as in `pull_request:`
    return block(next.indent);
  }

  function mapping(indent: number): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    for (let l = peek(); l && l.indent === indent; l = peek()) {
      if (l.text.startsWith('- ') || l.text === '-') fail(l, 'sequence item where a mapping key was expected');
      const m = /^([A-Za-z0-9_.\-/]+|"[^"]*"|'[^']*'):(?=\s|$)(.*)$/.exec(l.text);
      if (!m) fail(l, 'expected "key: value"');
      const key = /^["']/.test(m[1]) ? m[1].slice(1, -1) : m[1];
      if (Object.prototype.hasOwnProperty.call(out, key)) fail(l, `duplicate key '${key}'`);
      out[key] = valueAfter(m[2], indent, l);
    }
    const after = peek();
    if (after && after.indent > indent) fail(after, 'unexpected indentation');
    return out;
  }

  function sequence(indent: number): YamlValue[] {
    const out: YamlValue[] = [];
    for (let l = peek(); l && l.indent === indent && (l.text.startsWith('- ') || l.text === '-'); l = peek()) {
      const content = l.text === '-' ? '' : l.text.slice(2);
      const itemIndent = indent + 2;
      if (/^([A-Za-z0-9_.\-/]+|"[^"]*"|'[^']*'):(\s|$)/.test(content)) {
        // `- key: value`: the item is a mapping whose first key sits on the dash line.
        lines[pos] = { n: l.n, indent: itemIndent + /^ */.exec(content)![0].length, text: content.trimStart() };
        if (lines[pos].indent !== itemIndent) fail(l, 'use one space after "-"');
        out.push(mapping(itemIndent));
      } else {
        out.push(valueAfter(content, indent, l));
      }
    }
    const after = peek();
    if (after && after.indent > indent) fail(after, 'unexpected indentation');
    return out;
  }

  function block(indent: number): YamlValue {
    const l = peek()!;
    return l.text.startsWith('- ') || l.text === '-' ? sequence(indent) : mapping(indent);
  }

  const first = peek();
  if (!first) throw new YamlSubsetError('empty document');
  if (first.indent !== 0) fail(first, 'the document must start at column 0');
  if (lines.some((l) => l.indent === 0 && (l.text === '---' || l.text === '...'))) throw new YamlSubsetError('several documents are not supported');
  const doc = block(0);
  const rest = peek();
  if (rest) fail(rest, 'unexpected content');
  return doc;
}
