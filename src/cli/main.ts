/**
 * `mlflow-infra`: the project CLI. Each subcommand is a small module in `./commands` over a library
 * in `src/`; this file only dispatches and prints help.
 *
 * Help: `mlflow-infra --help`, `mlflow-infra <group> --help` (e.g. `db`, `migrate`),
 * `mlflow-infra <command> --help` and `mlflow-infra help <command...>` print to stdout and exit 0.
 * Usage errors print one line `mlflow-infra <command>: <error>` (with "did you mean" for a misspelt
 * command or option), the command's synopsis and where the full help is, and exit 64.
 *
 * Errors: this is the only place that turns an error into a message and an exit code (src/errors.ts).
 * An {@link InfraError} prints `mlflow-infra <command>: <message>` and exits with its code; a
 * file-system error (no such file, permission denied...) is named in words and exits 1; anything
 * else is a bug: its stack trace is printed once, with where to report it, and the exit code is 70.
 */
import { CliIo, Command, didYouMean, processIo } from './command';
import type * as Registry from './commands';
import type * as ReviewPlan from './commands/review-plan';
import { EXIT, UsageError } from '../errors';
import { reportError } from './report-error';


const HELP_FLAGS = new Set(['--help', '-h']);

/** Every command (loading the registry loads every command's modules: about 90). */
function registry(): readonly Command[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./commands') as typeof Registry).commands;
}

/**
 * Commands run without loading the registry, by their one-word path: `review-plan`'s peak memory is
 * held under twice the plan's size (bench/review-plan/run), and the other commands' modules would
 * be 5 MiB of it.
 */
const LOADED_ALONE = new Map<string, () => Command>([
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ['review-plan', () => (require('./commands/review-plan') as typeof ReviewPlan).reviewPlanCommand],
]);

/** The first word of each command (a command or a group such as `migrate`), in registry order. */
function topWords(): string[] {
  return [...new Set(registry().map((c) => c.path[0]))];
}

function listing(list: readonly Command[]): string[] {
  const width = Math.max(...list.map((c) => c.path.join(' ').length));
  return list.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
}

function topHelp(): string {
  return [
    'Usage: mlflow-infra <command> [options]',
    '',
    'Commands:',
    ...listing(registry()),
    '',
    "Run `mlflow-infra <command> --help` for a command's options and exit codes.",
    'Exit codes (every command): 0 success (no changes), 1 error, 2 changes to review, 3 refused by a',
    'safety guard (nothing changed), 64 usage error, 70 a bug in mlflow-infra (the error is printed',
    'with its stack trace: please report it), 77 skipped (nothing was checked).',
    '',
  ].join('\n');
}

function groupMembers(group: string): Command[] {
  return registry().filter((c) => c.path.length > 1 && c.path[0] === group);
}

function groupSynopsis(group: string): string {
  return `Usage: mlflow-infra ${group} <${groupMembers(group).map((c) => c.path[1]).join('|')}> [options]`;
}

function groupHelp(group: string): string {
  return [groupSynopsis(group), '', 'Commands:', ...listing(groupMembers(group)), '', `Run \`mlflow-infra ${group} <command> --help\` for a command's options and exit codes.`, ''].join('\n');
}

/** The usage text up to its first blank line: the synopsis a usage error shows. */
export function synopsis(command: Command): string {
  const text = command.usage.trimEnd();
  const blank = text.indexOf('\n\n');
  return blank === -1 ? text : text.slice(0, blank);
}

/** Finds the command whose path is the longest prefix of argv. */
function resolve(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  const alone = LOADED_ALONE.get(argv[0]);
  if (alone) return { command: alone(), rest: argv.slice(1) };
  for (const c of registry()) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

function usageError(io: CliIo, prefix: string, message: string, usage: string, helpCommand: string): number {
  io.stderr(`${prefix}: ${message}\n\n${usage}\nRun \`${helpCommand} --help\` for all options.\n`);
  return EXIT.usage;
}

/**
 * Prints an error that escaped a command and returns the exit code (the one place that does):
 * see the module comment.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    return reportError(io.stderr, 'mlflow-infra', err);
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'help') return dispatch(argv.length > 1 ? [...argv.slice(1), '--help'] : ['--help'], io);
  if (argv.length === 0 || HELP_FLAGS.has(argv[0])) {
    io.stdout(topHelp());
    return argv.length === 0 ? EXIT.usage : 0;
  }
  const found = resolve(argv);
  if (!found) {
    const [first, second] = argv;
    const members = groupMembers(first);
    if (members.length > 0) {
      if (second === undefined || HELP_FLAGS.has(second)) {
        if (second === undefined) {
          io.stderr(groupHelp(first));
          return EXIT.usage;
        }
        io.stdout(groupHelp(first));
        return 0;
      }
      const names = members.map((c) => c.path[1]);
      return usageError(io, `mlflow-infra ${first}`, `unknown command '${first} ${second}'${didYouMean(second, names)}`, groupSynopsis(first), `mlflow-infra ${first}`);
    }
    return usageError(io, 'mlflow-infra', `unknown command '${first}'${didYouMean(first, topWords())}`, 'Usage: mlflow-infra <command> [options]', 'mlflow-infra');
  }
  const { command, rest } = found;
  if (rest.some((a) => HELP_FLAGS.has(a))) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
    return 0;
  }
  return runCommand(command, rest, io);
}

/**
 * Runs one command with the dispatcher's error handling: what `main` does once it has found the
 * command (exported for tests that build a command with a test double).
 */
export async function runCommand(command: Command, argv: string[], io: CliIo): Promise<number> {
  const name = `mlflow-infra ${command.path.join(' ')}`;
  try {
    return await command.run(argv, io);
  } catch (err) {
    if (err instanceof UsageError) return usageError(io, name, err.message, synopsis(command), name);
    return reportError(io.stderr, name, err);
  }
}
