/**
 * Synth as users run it: deterministic, atomic (a bad config leaves the previous output alone),
 * identical between `npm run synth` and the committed cdktf.out, and readable, stable addresses
 * (the address contract that state migration depends on).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { environments } from '../../src/config/environments';
import { production } from '../../src/config/environments/production';
import { ConfigError } from '../../src/config/validate';
import { App, TerraformStack } from 'cdktf';
// This test pins which of cdktf's validations the app carries: it moves with cdktf (docs/cdktf-exit.md).
// eslint-disable-next-line no-restricted-imports
import { ValidateBinaryVersion, ValidateProviderPresence } from 'cdktf/lib/validations';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { buildApp } from '../../src/app';
import { APP_CONTEXT, LOCK_FILE, synthesize, validateStacks } from '../../src/synth';
import { REQUIRED_TERRAFORM_VERSION } from '../../src/stacks/mlflow-stack';
import { logicalIdFor, toSnakeCase } from '../../src/stacks/logical-ids';
import { addressContract, addresses, synthStack, trackedFiles } from '../helpers/synth';

const root = path.resolve(__dirname, '../..');

function listFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-synth-'));
}

/** A fresh synth into a temporary directory; returns that output directory. */
function tmpSynth(): string {
  const out = path.join(tmp(), 'out');
  synthesize(environments, out);
  return out;
}

/** Files committed in cdktf.out that synth does not write: each stack's provider lock file. */
const COMMITTED_BESIDE_SYNTH = /^stacks\/[^/]+\/\.terraform\.lock\.hcl$/;

/**
 * Files git tracks under `committedDir` that a fresh synth does not write (e.g. a removed stack's
 * JSON), other than the lock files committed beside the output. Untracked local files (a
 * `terraform init` in a stack folder) are not committed output and do not count.
 */
function extraCommittedFiles(committedDir: string, freshFiles: readonly string[]): string[] {
  const tracked = trackedFiles(committedDir);
  if (tracked === undefined) throw new Error(`${committedDir} is not in a git checkout: cannot tell committed files from local ones`);
  return tracked.filter((f) => !freshFiles.includes(f) && !COMMITTED_BESIDE_SYNTH.test(f)).sort();
}

describe('synthesize()', () => {
  test('is byte-identical across runs, with no absolute paths or timestamps', () => {
    const [a, b] = [tmp(), tmp()];
    synthesize(environments, path.join(a, 'out'));
    synthesize(environments, path.join(b, 'out'));
    const first = listFiles(path.join(a, 'out'));
    expect(listFiles(path.join(b, 'out'))).toEqual(first);
    const all = Object.values(first).join('\n');
    expect(all).not.toContain(a);
    expect(all).not.toContain(root);
    expect(all).not.toMatch(/mlflow-infra-synth-|\/home\/|\/root\//);
    expect(all).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:\d\d/);
    expect(Object.keys(first).sort()).toEqual(['manifest.json', ...environments.map((e) => `stacks/${e.stackName}/cdk.tf.json`).sort()]);
  });

  test('matches the committed cdktf.out (CI fails when it is stale), file for file: no stale extra file either', () => {
    const dir = tmp();
    synthesize(environments, path.join(dir, 'out'));
    const fresh = listFiles(path.join(dir, 'out'));
    const committedDir = path.join(root, 'cdktf.out');
    const committed = listFiles(committedDir);
    for (const file of Object.keys(fresh)) expect({ file, content: committed[file] }).toEqual({ file, content: fresh[file] });
    expect(extraCommittedFiles(committedDir, Object.keys(fresh))).toEqual([]);
  });

  test('a stale extra file in the committed output (a removed stack) is found; local terraform files are not', () => {
    const out = tmpSynth();
    const fresh = Object.keys(listFiles(out));
    fs.mkdirSync(path.join(out, 'stacks/mlflow-removed'));
    fs.writeFileSync(path.join(out, 'stacks/mlflow-removed/cdk.tf.json'), '{}');
    fs.writeFileSync(path.join(out, 'stacks/mlflow-staging/.terraform.lock.hcl'), '# lock');
    fs.mkdirSync(path.join(out, 'stacks/mlflow-staging/.terraform'));
    fs.writeFileSync(path.join(out, 'stacks/mlflow-staging/.terraform/terraform.tfstate'), '{}');
    spawnSync('git', ['init', '-q'], { cwd: out });
    spawnSync('git', ['add', 'manifest.json', 'stacks/mlflow-removed', 'stacks/*/cdk.tf.json', 'stacks/*/.terraform.lock.hcl'], { cwd: out });
    expect(extraCommittedFiles(out, fresh)).toEqual(['stacks/mlflow-removed/cdk.tf.json']);
  });

  test('a bad config throws every problem and leaves the previous output untouched', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    synthesize(environments, out);
    const before = listFiles(out);
    const bad = { ...production, accountId: 'nope', service: { ...production.service, desiredCount: 0 } };
    expect(() => synthesize([bad], out)).toThrow(ConfigError);
    expect(listFiles(out)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });
});

describe('Terraform version and provider pinning', () => {
  test('every stack requires Terraform >= 1.10 (S3-native locking with use_lockfile)', () => {
    expect(REQUIRED_TERRAFORM_VERSION).toBe('>= 1.10, < 2.0');
    for (const e of environments) {
      const json = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out/stacks', e.stackName, 'cdk.tf.json'), 'utf8'));
      expect({ stack: e.stackName, required: json.terraform.required_version }).toEqual({ stack: e.stackName, required: REQUIRED_TERRAFORM_VERSION });
    }
  });

  test('every stack commits a lock file pinning the AWS provider build (the version the mirror holds, its linux_amd64 hash)', () => {
    for (const e of environments) {
      const lock = fs.readFileSync(path.join(root, 'cdktf.out/stacks', e.stackName, LOCK_FILE), 'utf8');
      expect(lock).toMatch(/provider "registry\.terraform\.io\/hashicorp\/aws" \{\n {2}version {5}= "5\.100\.0"\n/);
      expect(lock).toMatch(/"h1:[A-Za-z0-9+/]{43}="/);
    }
  });

  test('synth keeps the committed lock files (it writes every other file anew)', () => {
    const out = path.join(tmp(), 'out');
    synthesize(environments, out);
    const lock = path.join(out, 'stacks', 'mlflow-staging', LOCK_FILE);
    fs.writeFileSync(lock, 'provider "registry.terraform.io/hashicorp/aws" {}\n');
    synthesize(environments, out);
    expect(fs.readFileSync(lock, 'utf8')).toBe('provider "registry.terraform.io/hashicorp/aws" {}\n');
    expect(fs.existsSync(path.join(out, 'stacks', 'mlflow-production', LOCK_FILE))).toBe(false);
  });
});

describe('the real cdktf CLI', () => {
  test('`npm run cdktf -- synth` (cdktf.json app) writes exactly what npm run synth writes, without calling home', () => {
    const dir = tmp();
    // No CHECKPOINT_DISABLE from outside: the npm script sets it (cdktf-cli reads only that variable;
    // without it, it calls checkpoint-api.hashicorp.com and prints a red ENOTFOUND offline).
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
    delete env.CHECKPOINT_DISABLE;
    const result = spawnSync('npm', ['run', '-s', 'cdktf', '--', 'synth', '--output', path.join(dir, 'cli')], { cwd: root, env, encoding: 'utf8' });
    expect(result.stdout + result.stderr).not.toMatch(/ENOTFOUND|checkpoint|telemetry/i);
    expect(result.status).toBe(0);
    synthesize(environments, path.join(dir, 'npm'));
    const fromCli = listFiles(path.join(dir, 'cli'));
    const fromNpm = listFiles(path.join(dir, 'npm'));
    expect(Object.keys(fromCli).filter((f) => f.endsWith('cdk.tf.json') || f === 'manifest.json').sort()).toEqual(Object.keys(fromNpm).sort());
    for (const file of Object.keys(fromNpm)) expect({ file, content: fromCli[file] }).toEqual({ file, content: fromNpm[file] });
  });
});

describe('the synth entry (main.ts)', () => {
  test('on success lists each stack written with its counts, and the next commands', () => {
    const out = path.join(tmp(), 'out');
    const result = spawnSync(process.execPath, ['-r', './scripts/register.js', 'main.ts'], { cwd: root, env: { ...process.env, CDKTF_OUTDIR: out }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`synth: wrote ${environments.length} stack(s) to ${out}/`);
    for (const e of environments) {
      const json = JSON.parse(fs.readFileSync(path.join(out, 'stacks', e.stackName, 'cdk.tf.json'), 'utf8'));
      const resources = Object.values(json.resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
      const line = lines.find((l) => l.trim().startsWith(`${e.stackName} `));
      expect(line).toContain(`${resources} resources, `);
      expect(line).toContain(`${Object.keys(json.output).length} outputs; backend ${e.backend.type}`);
    }
    expect(lines.find((l) => l.trim().startsWith('mlflow-production '))).toContain(', 3 import(s), ');
    expect(result.stdout).toContain('\nNext:\n  npm run validate ');
    expect(result.stdout).toContain('node bin/mlflow-infra.js plan <stack>');
    expect(result.stdout).toContain('node bin/mlflow-infra.js apply <stack> --plan cdktf.out/stacks/<stack>/tfplan');
  });

  test('exits 1 with the problem and writes nothing when an override is bad', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'marker'), 'previous output');
    const result = spawnSync(process.execPath, ['-r', './scripts/register.js', 'main.ts'], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: out, MLFLOW_IMAGE_DIGEST_PRODUCTION: 'sha256:not-a-digest' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('production.registry.image.digest: "sha256:not-a-digest" must be "sha256:" followed by 64 lower-case hex digits');
    expect(result.stderr).toContain('nothing was written');
    expect(fs.readdirSync(out)).toEqual(['marker']);
  });
});

describe('construct validations', () => {
  test('the synth entry runs no terraform (cdktf would run `terraform version` once per stack) and works where none is installed', () => {
    const dir = tmp();
    const bin = path.join(dir, 'bin');
    const calls = path.join(dir, 'calls');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'terraform'), `#!/bin/sh\necho "$*" >> ${calls}\nexit 127\n`, { mode: 0o755 });
    const out = path.join(dir, 'out');
    const result = spawnSync(process.execPath, ['-r', './scripts/register.js', 'main.ts'], {
      cwd: root,
      env: { ...process.env, PATH: bin, CDKTF_OUTDIR: out, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    });
    // Nothing on stderr but the example-value warning (no terraform error, no version check).
    expect(result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('synth: warning: ') && !l.startsWith('  - '))).toEqual([]);
    expect(result.status).toBe(0);
    expect(fs.existsSync(calls)).toBe(false);
    expect(listFiles(out)['stacks/mlflow-production/cdk.tf.json']).toBe(fs.readFileSync(path.join(root, 'cdktf.out/stacks/mlflow-production/cdk.tf.json'), 'utf8'));
  });

  test("a resource whose provider is not configured still fails with cdktf's provider-presence error", () => {
    const app = new App({ outdir: tmp(), skipValidation: true });
    const stack = new TerraformStack(app, 'no-provider');
    new S3Bucket(stack, 'bucket', {});
    expect(() => validateStacks(app)).toThrow(/\[no-provider\] Found resources without a matching provider construct\. .* for the following providers: aws$/);
  });

  test('the only validations on the app are the provider-presence ones synth runs and the terraform version checks it leaves out', () => {
    const app = new App({ outdir: tmp(), stackTraces: false, skipValidation: true, context: APP_CONTEXT });
    buildApp(app, environments);
    const kinds = new Set<string>();
    // constructs keeps a node's validations in a private array; a test may look.
    for (const c of app.node.findAll()) for (const v of (c.node as unknown as { _validations: object[] })._validations) {
      kinds.add(v instanceof ValidateProviderPresence ? 'provider presence' : v instanceof ValidateBinaryVersion ? 'binary version' : v.constructor.name);
    }
    expect([...kinds].sort()).toEqual(['binary version', 'provider presence']);
  });
});

describe('addresses', () => {
  test('UPDATE_ADDRESS_CONTRACTS=1 rewrites a contract locally but is refused under CI=true (it would always pass)', () => {
    const file = path.join(tmp(), 'contract.txt');
    fs.writeFileSync(file, 'aws_vpc.old\n');
    expect(() => addressContract(file, ['aws_vpc.new'], { CI: 'true', UPDATE_ADDRESS_CONTRACTS: '1' })).toThrow(/refused under CI=true/);
    expect(fs.readFileSync(file, 'utf8')).toBe('aws_vpc.old\n');
    expect(addressContract(file, ['aws_vpc.new'], {})).toEqual(['aws_vpc.old']);
    expect(addressContract(file, ['aws_vpc.new'], { UPDATE_ADDRESS_CONTRACTS: '1' })).toEqual(['aws_vpc.new']);
  });

  test('logical ids are the snake_case construct path, without hashes', () => {
    expect(toSnakeCase('PublicSubnet-us-east-1a')).toBe('public_subnet_us_east_1a');
    expect(logicalIdFor(['network', 'public-us-east-1a'])).toBe('network_public_us_east_1a');
    expect(() => logicalIdFor(['1st'])).toThrow(/not a valid Terraform name/);
  });

  test.each(environments.map((e) => [e.stackName, e] as const))('%s matches its committed address contract', (stackName, config) => {
    const file = path.join(__dirname, '..', 'contracts', `${stackName}.addresses.txt`);
    const actual = addresses(synthStack(config));
    const expected = addressContract(file, actual);
    // A change here changes Terraform addresses: existing state must be moved (see migration/).
    expect(actual).toEqual(expected);
    for (const address of actual) expect(address).not.toMatch(/_[0-9A-F]{8}$/);
  });
});
