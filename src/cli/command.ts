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

/** Exit code for usage errors (bad flags, missing arguments), as in BSD sysexits' EX_USAGE spirit. */
export const EXIT_USAGE = 64;

export class UsageError extends Error {}

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
    throw new UsageError((err as Error).message);
  }
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
