/**
 * One error model (src/errors.ts): domain errors carry their exit code, only src/cli/main.ts turns
 * an error into a message and an exit code, and an unexpected error is a bug that keeps its stack
 * trace (printed once, with where to report it) and exits 70.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliIo } from '../../src/cli/command';
import { commands } from '../../src/cli/commands';
import { main } from '../../src/cli/main';
import { EXIT, InfraError } from '../../src/errors';
import { runSynth } from '../../src/cli/synth';
import { importSpecifiers, sourceFiles as allSourceFiles } from '../helpers/layering';
import { copyState, LEGACY_STATE, PRODUCTION_OVERRIDES, tmpDir } from '../migration/helpers';

const ROOT = path.resolve(__dirname, '../..');

function capture(overrides: Partial<CliIo> = {}): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => Buffer.alloc(0),
    isTty: false,
    env: {},
    cwd: ROOT,
    ...overrides,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

const count = (text: string, part: string) => text.split(part).length - 1;

/** What a bug's report looks like: the stack trace once, the bug line once, nothing else. */
function expectBugReport(stderr: string, name: string, error: string): void {
  expect(count(stderr, error)).toBe(1);
  expect(stderr.startsWith(`${name}: internal error: ${error}\n    at `)).toBe(true);
  expect(count(stderr, 'this is a bug in mlflow-infra')).toBe(1);
  expect(stderr.trimEnd().split('\n').pop()).toBe(
    `${name}: this is a bug in mlflow-infra, not in your input: please report it to the mlflow-infra maintainers (an issue in the mlflow-infra repository) with the command line and this output (exit 70)`,
  );
}

describe('an unexpected error is a bug: stack trace once, the bug line, exit 70', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a TypeError inside a command', async () => {
    const check = commands.find((c) => c.path.join(' ') === 'check')!;
    jest.spyOn(check, 'run').mockImplementation(async () => {
      const config = undefined as unknown as { name: string };
      return config.name.length;
    });
    const io = capture();
    expect(await main(['check'], io)).toBe(EXIT.software);
    expect(EXIT.software).toBe(70);
    expectBugReport(io.err(), 'mlflow-infra check', "TypeError: Cannot read properties of undefined (reading 'name')");
    expect(io.out()).toBe('');
  });

  test('migrate no longer turns a TypeError into exit 1 with the message only', async () => {
    // The TypeError happens inside migrate's own code (it prints its result through a broken io).
    const io = capture({
      stdout: () => {
        throw new TypeError('io.stdout is broken');
      },
    });
    expect(await main(['migrate', 'check-imports', '--env', 'production'], io)).toBe(70);
    expectBugReport(io.err(), 'mlflow-infra migrate check-imports', 'TypeError: io.stdout is broken');
  });

  test('something thrown that is not an Error is reported as a bug too', async () => {
    const check = commands.find((c) => c.path.join(' ') === 'check')!;
    jest.spyOn(check, 'run').mockRejectedValue('a string');
    const io = capture();
    expect(await main(['check'], io)).toBe(70);
    expect(io.err()).toContain('mlflow-infra check: internal error: a string\n');
  });
});

describe('a domain error prints its message (no stack trace) and exits with its own code', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a domain error thrown by any command: one prefixed line per paragraph, its exit code', async () => {
    class Refusal extends InfraError {
      override paragraphs(): readonly string[] {
        return ['first', 'second'];
      }
    }
    const check = commands.find((c) => c.path.join(' ') === 'check')!;
    jest.spyOn(check, 'run').mockRejectedValue(new Refusal('x', { exitCode: EXIT.refused }));
    const io = capture();
    expect(await main(['check'], io)).toBe(3);
    expect(io.err()).toBe('mlflow-infra check: first\nmlflow-infra check: second\n');
  });

  test('migrate apply: a refusal keeps exit 3 (not 1); a move file that is not one is exit 1; neither shows a stack trace', async () => {
    const dir = tmpDir('errors-migrate-');
    try {
      const stackDir = path.join(dir, 'cdktf.out', 'stacks', 'mlflow-production');
      fs.mkdirSync(stackDir, { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'cdktf.out/stacks/mlflow-production/cdk.tf.json'), path.join(stackDir, 'cdk.tf.json'));
      copyState(LEGACY_STATE, dir);
      const plan = capture({ cwd: dir });
      expect(await main(['migrate', 'plan', '--state', 'legacy.tfstate', '--stack', 'mlflow-production', '--overrides', PRODUCTION_OVERRIDES, '--out', 'moves.json', '--no-terraform'], plan)).toBe(0);
      // A stand-in terraform: the refusal comes before any terraform command runs.
      const fake = path.join(dir, 'terraform');
      fs.writeFileSync(fake, '#!/bin/sh\necho "terraform must not run" >&2\nexit 9\n', { mode: 0o755 });
      const refused = capture({ cwd: dir, env: { TERRAFORM_BINARY: fake } });
      expect(await main(['migrate', 'apply', '--plan', 'moves.json', '--from-state', 'legacy.tfstate', '--to-state', './legacy.tfstate'], refused)).toBe(EXIT.refused);
      expect(refused.err()).toBe('mlflow-infra migrate apply: refusing to change any state:\n  - --from-state and --to-state are the same file: use --same-state\n');

      fs.writeFileSync(path.join(dir, 'not-a-plan.json'), '"moves"');
      const bad = capture({ cwd: dir });
      expect(await main(['migrate', 'simulate', '--plan', 'not-a-plan.json', '--state', 'legacy.tfstate', '--out', 'sim.tfstate'], bad)).toBe(1);
      expect(bad.err()).toBe(`mlflow-infra migrate simulate: ${path.join(dir, 'not-a-plan.json')}: expected a JSON object\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file-system error is the environment, not a bug: named in words, exit 1', async () => {
    const check = commands.find((c) => c.path.join(' ') === 'check')!;
    jest.spyOn(check, 'run').mockImplementation(async () => fs.readFileSync('/nonexistent/mlflow-infra-probe').length);
    const io = capture();
    expect(await main(['check'], io)).toBe(1);
    expect(io.err()).toBe('mlflow-infra check: cannot read /nonexistent/mlflow-infra-probe: no such file\n');
  });
});

/** Every .ts file under src, relative to the project root. */
const sourceFiles = (): string[] => allSourceFiles().map((f) => path.relative(ROOT, f).split(path.sep).join('/'));

/** The modules a file imports or requires, type-only imports included (resolved against the project root). */
const importsOf = (file: string): string[] =>
  importSpecifiers(path.join(ROOT, file))
    .filter((s) => s.startsWith('.'))
    .map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)));

describe('layering of the error model', () => {
  const files = sourceFiles();

  test('no module outside src/cli imports src/cli (domain modules throw; the CLI prints)', () => {
    expect(files.length).toBe(new Set(files).size);
    expect(files).toContain('src/cli/main.ts');
    const offenders = files.filter((f) => !f.startsWith('src/cli/')).flatMap((f) => importsOf(f).filter((i) => i === 'src/cli' || i.startsWith('src/cli/')).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  test('the import scan sees imports, dynamic requires and `import type`', () => {
    expect(importsOf('src/cli/main.ts')).toEqual(expect.arrayContaining(['src/cli/command', 'src/errors']));
    expect(importsOf('src/cli/commands/check.ts')).toEqual(expect.arrayContaining(['src/policy-check', 'src/cli/command']));
  });

  test('every exported error class extends InfraError (only src/errors.ts extends Error)', () => {
    const direct = files.filter((f) => /^export (abstract )?class \w+ extends Error\b/m.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(direct).toEqual(['src/errors.ts']);
  });

  test('only src/cli/main.ts turns an error into an exit code: no catch block elsewhere in src/cli returns one', () => {
    /** The bodies of the `catch (...) { ... }` blocks of a file. */
    const catchBodies = (text: string) =>
      [...text.matchAll(/\bcatch\s*(\([^)]*\))?\s*\{/g)].map((m) => {
        let depth = 1;
        let i = m.index! + m[0].length;
        for (; depth > 0; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
        return text.slice(m.index! + m[0].length, i - 1);
      });
    expect(catchBodies('try { a(); } catch (err) { if (x) { return 1; } throw err; }')).toEqual([' if (x) { return 1; } throw err; ']);
    const cliFiles = files.filter((f) => f.startsWith('src/cli/') && f !== 'src/cli/main.ts');
    const returning = cliFiles.filter((f) => catchBodies(fs.readFileSync(path.join(ROOT, f), 'utf8')).some((body) => /\breturn\b/.test(body)));
    // synthesizedStacks: a missing cdktf.out lists no stacks (not an error). The synth program's entry
    // reports through the same reportError as main, then says that nothing was written.
    expect(returning).toEqual(['src/cli/commands/plan.ts', 'src/cli/synth.ts']);
    expect(fs.readFileSync(path.join(ROOT, 'src/cli/synth.ts'), 'utf8')).toContain("const code = reportError(");
  });
});

describe('the synth program (src/cli/synth.ts) maps errors like the CLI', () => {
  test("a user's error (an InfraError) is its message and exit code, and nothing is written", () => {
    let stderr = '';
    const outdir = path.join(tmpDir(), 'out');
    expect(runSynth({ CDKTF_OUTDIR: outdir, MLFLOW_IMAGE_DIGEST_PRODUCTION: 'sha256:nope' }, { write: (t: string) => (stderr += t) })).toBe(EXIT.failed);
    expect(stderr).toContain('synth: ');
    expect(stderr).toContain('production.registry.image.digest: "sha256:nope"');
    expect(stderr).toContain(`synth: nothing was written; ${outdir} is unchanged.`);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('a file-system error is named in words, exit 1 (bugs go through the same reportError as the CLI: tested above)', () => {
    const file = path.join(tmpDir(), 'a-file');
    fs.writeFileSync(file, '');
    let stderr = '';
    expect(runSynth({ CDKTF_OUTDIR: path.join(file, 'out') }, { write: (t: string) => (stderr += t) })).toBe(EXIT.failed);
    expect(stderr).toMatch(/^synth: cannot write .*a-file.*: a parent is not a directory\n/);
    expect(stderr).not.toContain('    at ');

  });
});
