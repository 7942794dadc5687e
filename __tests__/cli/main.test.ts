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

test('the bin runs through npx-style invocation', () => {
  const root = path.resolve(__dirname, '../..');
  const r = spawnSync(process.execPath, ['bin/mlflow-infra.js', '--help'], { cwd: root, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Commands:');
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
