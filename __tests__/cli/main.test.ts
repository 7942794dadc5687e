import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/main';
import { CliIo } from '../../src/cli/command';

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => Buffer.alloc(0), isTty: false, env: {}, cwd: process.cwd() };
}

test('--help lists every command and exits 0; no arguments exits 64', async () => {
  const a = io();
  expect(await main(['--help'], a)).toBe(0);
  expect(a.out.join('')).toMatch(/Usage: mlflow-infra <command>/);
  expect(a.out.join('')).toContain('validate');
  expect(await main([], io())).toBe(64);
});

test('an unknown command exits 64 and says so', async () => {
  const a = io();
  expect(await main(['frobnicate'], a)).toBe(64);
  expect(a.err.join('')).toContain("unknown command 'frobnicate'");
  expect(a.err.join('')).not.toContain('Commands:');
});

test('<command> --help prints its usage with exit codes', async () => {
  const a = io();
  expect(await main(['validate', '--help'], a)).toBe(0);
  expect(a.out.join('')).toContain('Exit codes:');
});

test('an unknown flag is a usage error with the usage text', async () => {
  const a = io();
  expect(await main(['validate', '--bogus'], a)).toBe(64);
  expect(a.err.join('')).toMatch(/Unknown option '--bogus'/);
});

test('the bin runs as node bin/mlflow-infra.js', () => {
  const root = path.resolve(__dirname, '../..');
  const r = spawnSync(process.execPath, ['bin/mlflow-infra.js', '--help'], { cwd: root, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Commands:');
});

test('the project runs its own CLI as `node bin/mlflow-infra.js` (0.1 s), never through npx (about 1 s of npm startup)', () => {
  const root = path.resolve(__dirname, '../..');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.(md|ts|js|yml|yaml|sh)$/.test(e.name) || rel === '.ci/run') files.push(rel);
    }
  };
  for (const dir of ['.ci', '.github', 'bench', 'bin', 'docker', 'docs', 'migration', 'scripts', 'src']) if (fs.existsSync(path.join(root, dir))) walk(dir);
  files.push('README.md', 'package.json');
  expect(files.length).toBeGreaterThan(50);
  const offenders = files.filter((f) => /\bnpx\s+mlflow-infra\b/.test(fs.readFileSync(path.join(root, f), 'utf8')));
  expect(offenders).toEqual([]);
});

test('lint forbids the provider barrel and allows deep imports', () => {
  const root = path.resolve(__dirname, '../..');
  const lint = (code: string) =>
    spawnSync(process.execPath, ['node_modules/eslint/bin/eslint.js', '--stdin', '--stdin-filename', 'src/probe.ts'], { cwd: root, input: code, encoding: 'utf8' });
  const barrel = lint("import * as aws from '@cdktf/provider-aws';\nexport const x = aws;\n");
  expect(barrel.status).toBe(1);
  expect(barrel.stdout).toContain("'@cdktf/provider-aws' import is restricted");
  const deep = lint("import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';\nexport const x = S3Bucket;\n");
  expect(deep.stdout).toBe('');
  expect(deep.status).toBe(0);
});

describe('help', () => {
  const { commands } = jest.requireActual('../../src/cli/commands') as typeof import('../../src/cli/commands');
  const groups = [...new Set(commands.filter((c) => c.path.length > 1).map((c) => c.path[0]))];

  test.each(groups)('`%s --help` lists its subcommands on stdout and exits 0; `help %s` too', async (group) => {
    for (const argv of [[group, '--help'], [group, '-h'], ['help', group]]) {
      const a = io();
      expect({ argv, code: await main(argv, a) }).toEqual({ argv, code: 0 });
      expect(a.out.join('')).toContain(`Usage: mlflow-infra ${group} <`);
      for (const c of commands.filter((x) => x.path[0] === group)) expect(a.out.join('')).toContain(`  ${c.path.join(' ')} `);
      expect(a.err).toEqual([]);
    }
  });

  test.each(commands.map((c) => c.path.join(' ')))('`%s --help` prints its usage and exits 0', async (name) => {
    const command = commands.find((c) => c.path.join(' ') === name)!;
    for (const argv of [[...command.path, '--help'], ['help', ...command.path]]) {
      const a = io();
      expect(await main(argv, a)).toBe(0);
      expect(a.out.join('')).toBe(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
    }
  });
});

describe('usage errors: one error, the synopsis, "did you mean"', () => {
  test('a misspelt command', async () => {
    const a = io();
    expect(await main(['chek'], a)).toBe(64);
    expect(a.err.join('')).toBe("mlflow-infra: unknown command 'chek' (did you mean check?)\n\nUsage: mlflow-infra <command> [options]\nRun `mlflow-infra --help` for all options.\n");
    const b = io();
    expect(await main(['migrate', 'pln'], b)).toBe(64);
    expect(b.err.join('').split('\n')[0]).toBe("mlflow-infra migrate: unknown command 'migrate pln' (did you mean plan?)");
  });

  test('a misspelt option: the error and the synopsis, not the whole help', async () => {
    const a = io();
    expect(await main(['check', '--formt', 'json'], a)).toBe(64);
    const err = a.err.join('');
    expect(err.split('\n')[0]).toBe("mlflow-infra check: Unknown option '--formt' (did you mean --format?)");
    expect(err).toContain('Usage: mlflow-infra check [--stack <name>] [--format text|markdown|json]\nRun `mlflow-infra check --help` for all options.\n');
    expect(err).not.toContain('Exit codes');
    expect(err).not.toContain('To specify a positional argument');
  });

  test('nothing close: no suggestion', async () => {
    const a = io();
    expect(await main(['db', 'migrate', '--target-password', 'x'], a)).toBe(64);
    expect(a.err.join('').split('\n')[0]).toBe("mlflow-infra db migrate: Unknown option '--target-password'");
  });
});

describe('migrate: inputs that are wrong are errors, in words', () => {
  const root = path.resolve(__dirname, '../..');
  const at = (cwd: string) => ({ ...io(), cwd });

  test('a missing state or plan file: no raw ENOENT', async () => {
    const a = at(root);
    expect(await main(['migrate', 'plan', '--state', 'nope.tfstate', '--stack', 'mlflow-production', '--out', 'never-written.json', '--no-terraform'], a)).toBe(1);
    expect(a.err.join('')).toBe(`mlflow-infra migrate plan: cannot read state file ${path.join(root, 'nope.tfstate')}: no such file\n`);
    const b = at(root);
    expect(await main(['migrate', 'simulate', '--plan', 'nope.json', '--state', 'nope.tfstate', '--out', 'never-written.tfstate'], b)).toBe(1);
    expect(b.err.join('')).toBe(`mlflow-infra migrate simulate: cannot read move plan ${path.join(root, 'nope.json')}: no such file\n`);
    expect(a.err.join('') + b.err.join('')).not.toContain('ENOENT');
  });

  test('check-imports: an unknown environment is a usage error with a suggestion', async () => {
    const a = at(root);
    expect(await main(['migrate', 'check-imports', '--env', 'prod'], a)).toBe(64);
    expect(a.err.join('').split('\n')[0]).toBe("mlflow-infra migrate check-imports: --env 'prod' is not one of staging, production, apprunner-staging");
    const b = at(root);
    expect(await main(['migrate', 'check-imports', '--env', 'productoin'], b)).toBe(64);
    expect(b.err.join('')).toContain('(did you mean production?)');
  });

  test('check-imports from another folder: the stack is missing, which is an error', async () => {
    const a = at(path.join(root, 'docs'));
    expect(await main(['migrate', 'check-imports', '--env', 'production'], a)).toBe(1);
    expect(a.err.join('')).toContain('mlflow-infra migrate check-imports: stack "mlflow-production" not found');
    expect(a.err.join('')).toContain('run from the project root');
    const ok = at(root);
    expect(await main(['migrate', 'check-imports', '--env', 'production'], ok)).toBe(0);
    expect(ok.out.join('')).toBe('imports/production.json: 3 import(s) valid against cdktf.out/stacks/mlflow-production/cdk.tf.json\n');
  });
});

test('lint keeps cdktf internals in one module (src/cdktf-internals.ts)', () => {
  const root = path.resolve(__dirname, '../..');
  const lint = (file: string, code: string) =>
    spawnSync(process.execPath, ['node_modules/eslint/bin/eslint.js', '--stdin', '--stdin-filename', file], { cwd: root, input: code, encoding: 'utf8' });
  const deep = lint('src/probe.ts', "import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';\nexport const x = invokeAspects;\n");
  expect(deep.status).toBe(1);
  expect(deep.stdout).toContain('cdktf internals are imported only in src/cdktf-internals.ts');
  const ours = lint('src/probe.ts', "import { invokeAspects } from './cdktf-internals';\nexport const x = invokeAspects;\n");
  expect(ours.status).toBe(0);
});

test('rehearse: --list names the scenarios; an unknown scenario or a bad --parallel is a usage error', async () => {
  const a = io();
  expect(await main(['rehearse', '--list'], a)).toBe(0);
  expect(a.out.join('')).toMatch(/^mlflow-staging\t/m);
  expect(a.out.join('')).toMatch(/^mlflow-production\t.*destroy \(refused\)/m);
  const b = io();
  expect(await main(['rehearse', 'mlflow-nope'], b)).toBe(64);
  expect(b.err.join('')).toContain('unknown scenario mlflow-nope; known: mlflow-staging, mlflow-apprunner-staging, mlflow-production');
  const c = io();
  expect(await main(['rehearse', '--parallel', '0'], c)).toBe(64);
  expect(c.err.join('')).toContain('--parallel "0": expected a whole number >= 1');
});
