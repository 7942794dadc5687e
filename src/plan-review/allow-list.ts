/**
 * The reviewed allow-list of stateful destroys (`--allow-destroy-file`): a committed text file, one
 * resource address per line, so that an intended replacement of a database or bucket can pass CI
 * after a reviewer approved the file's diff. The option is repeatable; the files are merged.
 *
 *     # comments and blank lines are ignored
 *     aws_db_instance.main            # engine major upgrade, snapshot taken 2024-05-02
 *     module.data.aws_s3_bucket.x["a"]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAddress } from '../terraform-json/address';
import { readErrorText } from '../fs-errors';
import { InfraError } from '../errors';

/** One allowed address and where it came from. */
export interface AllowEntry {
  readonly address: string;
  /** The file as given on the command line (for messages). */
  readonly file: string;
  /** 1-based line in the file. */
  readonly line: number;
  /** The trailing `# reason`, if any. */
  readonly reason?: string;
}

/**
 * Files are missing or have invalid lines. Each block names one file (and every bad line in it);
 * the message is the blocks, one after the other.
 */
export class AllowListError extends InfraError {
  constructor(readonly blocks: readonly string[]) {
    super(blocks.join('\n'));
  }

  /** One message per file. */
  override paragraphs(): readonly string[] {
    return this.blocks;
  }
}

/** Where an address was given: a `--allow-destroy` value, or a line of an `--allow-destroy-file`. */
export type AddressSource = 'flag' | 'file';

const EXPECTED_ADDRESS = 'expected one resource address such as aws_db_instance.main or module.db.aws_s3_bucket.this["a"]';
/** What a valid value looks like: only a file line may carry a `# reason`. */
const EXPECTED: Readonly<Record<AddressSource, string>> = {
  flag: EXPECTED_ADDRESS,
  file: `${EXPECTED_ADDRESS}, optionally followed by "# reason"`,
};

/** Words that start a module path or another address kind in Terraform, never a managed resource type. */
const NOT_A_RESOURCE_TYPE = new Set(['module', 'data', 'ephemeral', 'resource']);

/**
 * Why `address` is not a managed resource instance address (optionally inside a module), or
 * undefined when it is one. Only such an address can match a destroy in a plan: `module.db` (a
 * module) or `data.x.y` (a data source) never would. `source` words the message for where the
 * address was given (only a file line may add a `# reason`).
 */
export function allowAddressProblem(address: string, source: AddressSource): string | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return `'${address}' is not valid: ${EXPECTED[source]}`;
  if (parsed.mode === 'data') return `${address} is a data source; only managed resources are destroyed`;
  if (parsed.type === 'module') {
    return `${address} is a module, not a resource: list each stateful resource in it by its own address, e.g. ${address}.aws_db_instance.main`;
  }
  if (NOT_A_RESOURCE_TYPE.has(parsed.type)) return `'${address}' is not valid: ${EXPECTED[source]}`;
  return undefined;
}

/**
 * Splits `<address> [# reason]`. A `#` may also appear inside a quoted instance key, so each `#` is
 * tried as the comment start and the first split whose left side parses as an address wins.
 */
function splitLine(text: string): { address: string; reason?: string } | undefined {
  if (parseAddress(text)) return { address: text };
  for (let i = text.indexOf('#'); i > 0; i = text.indexOf('#', i + 1)) {
    const address = text.slice(0, i).trim();
    if (parseAddress(address)) {
      const reason = text.slice(i + 1).trim();
      return reason ? { address, reason } : { address };
    }
  }
  return undefined;
}

/** Where an address was first listed, across all files read together. */
type Seen = Map<string, { file: string; line: number }>;

function invalidLines(file: string, problems: readonly string[]): string {
  return `--allow-destroy-file ${file}: ${problems.length} invalid line${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  ${p}`).join('\n')}`;
}

/** Parses one file's text into `entries`; returns its problems (duplicates checked against `seen`). */
function collect(text: string, file: string, seen: Seen, entries: AllowEntry[]): string[] {
  const problems: string[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const parsed = splitLine(content);
    const problem = parsed ? allowAddressProblem(parsed.address, 'file') : `'${content}' is not valid: ${EXPECTED.file}`;
    if (problem !== undefined || !parsed) {
      problems.push(`line ${line}: ${problem}`);
      return;
    }
    const first = seen.get(parsed.address);
    if (first !== undefined) {
      problems.push(`line ${line}: ${parsed.address} is already listed ${first.file === file ? `on line ${first.line}` : `in ${first.file} line ${first.line}`}`);
      return;
    }
    seen.set(parsed.address, { file, line });
    entries.push({ ...parsed, file, line });
  });
  return problems;
}

export { readErrorText } from '../fs-errors';

/**
 * Reads and merges the files (each relative to `cwd`; a path given twice is read once), in the
 * order given; every entry keeps its own file and line. An address listed twice is an error, in
 * one file or across files (the later line is reported, naming the first). Throws
 * {@link AllowListError} with every unreadable file and every invalid line of every file.
 */
export function readAllowLists(files: readonly string[], cwd: string): AllowEntry[] {
  const entries: AllowEntry[] = [];
  const blocks: string[] = [];
  const seen: Seen = new Map();
  const read = new Set<string>();
  for (const file of files) {
    const resolved = path.resolve(cwd, file);
    if (read.has(resolved)) continue;
    read.add(resolved);
    let text: string;
    try {
      text = fs.readFileSync(resolved, 'utf8');
    } catch (err) {
      blocks.push(`--allow-destroy-file ${file}: cannot read it: ${readErrorText(err as NodeJS.ErrnoException)}`);
      continue;
    }
    const problems = collect(text, file, seen, entries);
    if (problems.length > 0) blocks.push(invalidLines(file, problems));
  }
  if (blocks.length > 0) throw new AllowListError(blocks);
  return entries;
}
