/**
 * `mlflow-infra`: the project CLI. Each subcommand is a small module in `./commands` over a library
 * in `src/`; this file only dispatches and prints help.
 */
import { CliIo, Command, EXIT_USAGE, processIo, UsageError } from './command';
import { commands } from './commands';

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    'Usage: mlflow-infra <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `mlflow-infra <command> --help` for a command\'s options and exit codes.',
    '',
  ].join('\n');
}

/** Finds the command whose path is the longest prefix of argv. */
function resolve(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(topHelp());
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  const found = resolve(argv);
  if (!found) {
    const group = commands.filter((c) => c.path[0] === argv[0]);
    io.stderr(`mlflow-infra: unknown command '${argv.join(' ')}'\n\n`);
    io.stderr(group.length > 0 ? group.map((c) => `  ${c.path.join(' ')}  ${c.summary}`).join('\n') + '\n' : topHelp());
    return EXIT_USAGE;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`mlflow-infra ${command.path.join(' ')}: ${err.message}\n\n${command.usage}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
