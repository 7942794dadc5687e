/**
 * The contract every `mlflow-infra` subcommand implements. Subcommands live in `src/cli/commands/`,
 * parse their own arguments with {@link parseCommandArgs}, write through {@link CliIo} (so tests can
 * capture output) and return an exit code instead of calling `process.exit`.
 */
import { parseArgs, ParseArgsConfig } from 'node:util';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of standard input as bytes (for `-` arguments; decoding is the reader's job). */
  readonly readStdin: () => Promise<Buffer>;
  /** True when stdout is a terminal (colour, progress). */
  readonly isTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface Command {
  /** Words that select the command, e.g. `['migrate', 'plan']` or `['review-plan']`. */
  readonly path: readonly string[];
  /** One line for `mlflow-infra --help`. */
  readonly summary: string;
  /** Full usage text for `mlflow-infra <command> --help`. */
  readonly usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/**
 * The exit codes of every `mlflow-infra` command (README, "Exit codes"):
 *   0 success (for plan/drift/review-plan: no changes), 1 error, 2 success with changes to review,
 *   3 refused by a safety guard (nothing was changed), 64 usage error (found before any work),
 *   77 skipped (nothing was checked; never a pass).
 */
export const EXIT_USAGE = 64;
/** Refused by a safety guard; nothing was changed (the plan-review guard's `blocked`, a refused apply or database copy). */
export const EXIT_REFUSED = 3;

export class UsageError extends Error {}

/** Edit distance (insertions, deletions, substitutions, adjacent transpositions). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate to a misspelt `word` (at most a quarter of its letters off, at least one), or undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = distance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [c, dist];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.replace(/^-+/, '').length / 4)) ? best : undefined;
}

/** ` (did you mean X?)` for a misspelt word, or ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}

/** Why `value` of `flag` is not one of `allowed`, with a suggestion; for {@link UsageError}s. */
export function notOneOf(flag: string, value: string, allowed: readonly string[]): string {
  return `${flag} '${value}' is not one of ${allowed.join(', ')}${didYouMean(value, allowed)}`;
}

/**
 * Strict argument parsing over node's `util.parseArgs`: unknown flags and missing values are
 * {@link UsageError}s that the dispatcher prints with the command's usage.
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    const unknown = /^Unknown option '([^']+)'/.exec(e.message);
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
      const flags = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
      throw new UsageError(`Unknown option '${unknown[1]}'${didYouMean(unknown[1], flags)}`);
    }
    throw new UsageError(e.message.replace(/\. To specify a positional argument starting with a '-'.*$/s, ''));
  }
}

/** Throws a {@link UsageError} naming every stack of `given` that is not in `known`, with suggestions. */
export function checkStacks(given: readonly string[], known: readonly string[], knownLabel = 'stacks'): void {
  const unknown = given.filter((s) => !known.includes(s));
  if (unknown.length === 0) return;
  const named = unknown.map((s) => `'${s}'${didYouMean(s, known)}`).join(', ');
  throw new UsageError(`unknown stack${unknown.length > 1 ? 's' : ''} ${named}; ${knownLabel}: ${known.join(', ') || '(none: run `npm run synth` first)'}`);
}

/** Asserts that required string options were given; reports all missing ones at once. */
export function requireOptions(values: Record<string, unknown>, names: readonly string[]): void {
  const missing = names.filter((n) => values[n] === undefined || values[n] === '');
  if (missing.length > 0) {
    throw new UsageError(`missing required option${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `--${m}`).join(', ')}`);
  }
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    isTty: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}
