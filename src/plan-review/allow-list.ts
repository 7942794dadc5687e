/**
 * The reviewed allow-list of stateful destroys (`--allow-destroy-file`): a committed text file, one
 * resource address per line, so that an intended replacement of a database or bucket can pass CI
 * after a reviewer approved the file's diff.
 *
 *     # comments and blank lines are ignored
 *     aws_db_instance.main            # engine major upgrade, snapshot taken 2024-05-02
 *     module.data.aws_s3_bucket.x["a"]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAddress } from '../migration/address';

/** One allowed address and where it came from. */
export interface AllowEntry {
  readonly address: string;
  /** 1-based line in the file. */
  readonly line: number;
  /** The trailing `# reason`, if any. */
  readonly reason?: string;
}

export interface AllowList {
  /** The file as given on the command line (for messages). */
  readonly file: string;
  readonly entries: readonly AllowEntry[];
}

/** The file is missing or has invalid lines; the message names the file and every bad line. */
export class AllowListError extends Error {}

const EXPECTED = 'expected one resource address such as aws_db_instance.main or module.db.aws_s3_bucket.this["a"], optionally followed by "# reason"';

/**
 * Splits `<address> [# reason]`. A `#` may also appear inside a quoted instance key, so each `#` is
 * tried as the comment start and the first split whose left side is an address wins.
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

/** Parses the file's text; throws {@link AllowListError} listing every invalid line. */
export function parseAllowList(text: string, file: string): AllowList {
  const entries: AllowEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const parsed = splitLine(content);
    if (!parsed) {
      problems.push(`line ${line}: '${content}' is not valid: ${EXPECTED}`);
      return;
    }
    const { address } = parsed;
    if (parseAddress(address)!.mode === 'data') {
      problems.push(`line ${line}: ${address} is a data source; only managed resources are destroyed`);
      return;
    }
    const first = seen.get(address);
    if (first !== undefined) {
      problems.push(`line ${line}: ${address} is already listed on line ${first}`);
      return;
    }
    seen.set(address, line);
    entries.push({ ...parsed, line });
  });
  if (problems.length > 0) {
    throw new AllowListError(`--allow-destroy-file ${file}: ${problems.length} invalid line${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return { file, entries };
}

/** Why a file could not be read, in words ('no such file', 'is a directory', or the system message). */
export function readErrorText(err: NodeJS.ErrnoException): string {
  return err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
}

/** Reads and parses the file (`file` relative to `cwd`). */
export function readAllowList(file: string, cwd: string): AllowList {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new AllowListError(`--allow-destroy-file ${file}: cannot read it: ${readErrorText(err as NodeJS.ErrnoException)}`);
  }
  return parseAllowList(text, file);
}
