/**
 * The contract every `mlflow-infra` subcommand implements. Subcommands live in `src/cli/commands/`,
 * declare their options once ({@link OptionDefs}: how to parse each one and its help), parse them
 * with {@link parseCommandArgs}, build their usage with {@link usageText} (the option lines are
 * generated from the same definitions), write through {@link CliIo} (so tests can capture output)
 * and return an exit code instead of calling `process.exit`. They throw errors
 * (`src/errors.ts`) instead of printing them: only the dispatcher (`./main.ts`) does.
 */
import { parseArgs, ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors';

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

/** One option: how `util.parseArgs` reads it, and its help. */
export type OptionDef = NonNullable<ParseArgsConfig['options']>[string] & {
  /**
   * What the option does, for the usage. Lines are kept as written (`\n` starts a new line, indented
   * to the help column); a default that the option has is stated in it (a test checks).
   */
  readonly help: string;
  /** The value's name in the usage of a string option, e.g. `<file>` or `text|markdown|json`. */
  readonly value?: string;
  /**
   * The usage label instead of `--<name> <value>`: options that share a label and help (a family
   * such as `--<side>-host <host>`) are listed once.
   */
  readonly label?: string;
};

/** A command's options, by long name. The single source of its parsing and of its usage's option lines. */
export type OptionDefs = Readonly<Record<string, OptionDef>>;

export interface Command {
  /** Words that select the command, e.g. `['migrate', 'plan']` or `['review-plan']`. */
  readonly path: readonly string[];
  /** One line for `mlflow-infra --help`. */
  readonly summary: string;
  /** Every option the command parses (its usage lists them all). */
  readonly options: OptionDefs;
  /** Full usage text for `mlflow-infra <command> --help` (see {@link usageText}). */
  readonly usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** The usage label of an option: `--name <value>` (or its own {@link OptionDef.label}). */
export function optionLabel(name: string, def: OptionDef): string {
  if (def.label !== undefined) return def.label;
  const flag = `${def.short ? `-${def.short}, ` : ''}--${name}`;
  return def.type === 'string' ? `${flag} ${def.value ?? '<value>'}` : flag;
}

/**
 * The option lines of a usage, generated from the definitions: each label, then its help aligned in
 * one column three spaces after the longest label (continuation lines too). Options sharing a label
 * are listed once.
 */
export function optionLines(options: OptionDefs): string {
  const entries = new Map<string, string>();
  for (const [name, def] of Object.entries(options)) {
    const label = optionLabel(name, def);
    if (!entries.has(label)) entries.set(label, def.help);
  }
  const width = Math.max(...[...entries.keys()].map((l) => l.length));
  return [...entries]
    .map(([label, help]) =>
      help
        .split('\n')
        .map((line, i) => `  ${(i === 0 ? label : '').padEnd(width)}   ${line}`.trimEnd())
        .join('\n'),
    )
    .join('\n');
}

/**
 * A command's usage: the synopsis (what a usage error shows, up to the first blank line), what the
 * command does, the generated `Options:` lines, then the rest (environment, exit codes...).
 */
export function usageText(parts: { readonly synopsis: string; readonly about?: string; readonly options: OptionDefs; readonly after: string }): string {
  return [parts.synopsis, ...(parts.about !== undefined ? [parts.about] : []), `Options:\n${optionLines(parts.options)}`, parts.after].map((p) => p.replace(/\n+$/, '')).join('\n\n') + '\n';
}

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

/** The definitions as `util.parseArgs` takes them (without the help). */
function parseConfig(options: OptionDefs): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, { type, multiple, short, default: fallback }]) => [
      name,
      { type, ...(multiple !== undefined ? { multiple } : {}), ...(short !== undefined ? { short } : {}), ...(fallback !== undefined ? { default: fallback } : {}) },
    ]),
  );
}

/**
 * Strict argument parsing over node's `util.parseArgs`: unknown flags and missing values are
 * {@link UsageError}s that the dispatcher prints with the command's usage.
 */
export function parseCommandArgs<T extends OptionDefs>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: parseConfig(options) as T, allowPositionals, strict: true });
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
