/**
 * One source for a command's options: each definition (src/cli/command.ts, OptionDef) carries its
 * help, and the usage's option lines are generated from the definitions, so an option cannot exist
 * without help, nor help without an option.
 */
import { CliIo, Command, optionLabel, optionLines, usageText } from '../../src/cli/command';
import { commands } from '../../src/cli/commands';
import { main } from '../../src/cli/main';

function io(): CliIo & { err: () => string } {
  const err: string[] = [];
  return { stdout: () => undefined, stderr: (t) => err.push(t), readStdin: async () => Buffer.alloc(0), isTty: false, env: {}, cwd: process.cwd(), err: () => err.join('') };
}

/** Flags other programs take that a usage names in its prose (pg_dump / pg_restore; apply's --plan in plan's). */
const FOREIGN_FLAGS: Readonly<Record<string, readonly string[]>> = {
  plan: ['plan'],
  'db migrate': ['format', 'no-owner', 'no-privileges', 'exit-on-error', 'single-transaction'],
};

const named = commands.map((c) => [c.path.join(' '), c] as [string, Command]);

describe.each(named)('%s', (name, command) => {
  const options = Object.entries(command.options);

  test('every option has help, and a string option names its value', () => {
    expect(options.length).toBeGreaterThan(0);
    for (const [option, def] of options) {
      expect({ option, help: def.help.trim().length > 0 }).toEqual({ option, help: true });
      if (def.type === 'string') expect({ option, label: /\S+ \S/.test(optionLabel(option, def)) }).toEqual({ option, label: true });
    }
  });

  test('a default the option has is stated in its help', () => {
    for (const [option, def] of options) {
      if (typeof def.default !== 'string') continue;
      expect({ option, help: def.help }).toEqual({ option, help: expect.stringMatching(new RegExp(`default:? ${def.default}\\b`)) });
    }
  });

  test('the usage lists the option lines generated from the definitions', () => {
    expect(command.usage).toContain(`\n\nOptions:\n${optionLines(command.options)}\n\n`);
  });

  test('every --flag the usage names is one of its options (or another program\'s, listed here)', () => {
    const flags = new Set([...command.usage.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
    const unknown = [...flags].filter((f) => !(f in command.options) && !(FOREIGN_FLAGS[name] ?? []).includes(f));
    expect(unknown).toEqual([]);
    for (const foreign of FOREIGN_FLAGS[name] ?? []) expect(command.options[foreign]).toBeUndefined();
  });

  test('the command parses every option it defines', async () => {
    for (const [option, def] of options) {
      // A string option without its value, a boolean one with a value: a usage error that names it, not "Unknown option".
      const argv = def.type === 'string' ? [...command.path, `--${option}`] : [...command.path, `--${option}=x`];
      const out = io();
      expect({ argv, code: await main(argv, out) }).toEqual({ argv, code: 64 });
      expect(out.err()).toContain(`--${option}`);
      expect(out.err()).not.toContain('Unknown option');
    }
    const unknown = io();
    expect(await main([...command.path, '--not-an-option-of-any-command'], unknown)).toBe(64);
    expect(unknown.err()).toContain("Unknown option '--not-an-option-of-any-command'");
  });
});

test('option lines: labels in one column three spaces after the longest, continuation lines aligned, a shared label listed once', () => {
  const options = {
    out: { type: 'string', value: '<file>', help: 'where to write\nthe result' },
    json: { type: 'boolean', default: false, help: 'print JSON' },
    'a-host': { type: 'string', label: '--<side>-host <host>', help: 'the server' },
    'b-host': { type: 'string', label: '--<side>-host <host>', help: 'the server' },
    verbose: { type: 'boolean', short: 'v', help: 'say more' },
  } as const;
  expect(optionLines(options)).toBe(
    [
      '  --out <file>           where to write',
      '                         the result',
      '  --json                 print JSON',
      '  --<side>-host <host>   the server',
      '  -v, --verbose          say more',
    ].join('\n'),
  );
  expect(usageText({ synopsis: 'Usage: x [options]', about: 'Does x.', options: { json: options.json }, after: 'Exit codes: 0 ok\n' })).toBe(
    'Usage: x [options]\n\nDoes x.\n\nOptions:\n  --json   print JSON\n\nExit codes: 0 ok\n',
  );
});
