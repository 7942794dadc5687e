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
import { ValidateBinaryVersion, ValidateProviderPresence } from 'cdktf/lib/validations';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { buildApp } from '../../src/app';
import { APP_CONTEXT, synthesize, validateStacks } from '../../src/synth';
import { logicalIdFor, toSnakeCase } from '../../src/stacks/logical-ids';
import { addresses, synthStack } from '../helpers/synth';

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

  test('matches the committed cdktf.out (CI fails when it is stale)', () => {
    const dir = tmp();
    synthesize(environments, path.join(dir, 'out'));
    const fresh = listFiles(path.join(dir, 'out'));
    const committed = listFiles(path.join(root, 'cdktf.out'));
    for (const file of Object.keys(fresh)) expect({ file, content: committed[file] }).toEqual({ file, content: fresh[file] });
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

describe('the real cdktf CLI', () => {
  test('`cdktf synth` (cdktf.json app) writes exactly what npm run synth writes', () => {
    const dir = tmp();
    const result = spawnSync(path.join(root, 'node_modules/.bin/cdktf'), ['synth', '--output', path.join(dir, 'cli')], {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    synthesize(environments, path.join(dir, 'npm'));
    const fromCli = listFiles(path.join(dir, 'cli'));
    const fromNpm = listFiles(path.join(dir, 'npm'));
    expect(Object.keys(fromCli).filter((f) => f.endsWith('cdk.tf.json') || f === 'manifest.json').sort()).toEqual(Object.keys(fromNpm).sort());
    for (const file of Object.keys(fromNpm)) expect({ file, content: fromCli[file] }).toEqual({ file, content: fromNpm[file] });
  });
});

describe('the synth entry (main.ts)', () => {
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
    expect(result.stderr).toBe('');
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
  test('logical ids are the snake_case construct path, without hashes', () => {
    expect(toSnakeCase('PublicSubnet-us-east-1a')).toBe('public_subnet_us_east_1a');
    expect(logicalIdFor(['network', 'public-us-east-1a'])).toBe('network_public_us_east_1a');
    expect(() => logicalIdFor(['1st'])).toThrow(/not a valid Terraform name/);
  });

  test.each(environments.map((e) => [e.stackName, e] as const))('%s matches its committed address contract', (stackName, config) => {
    const file = path.join(__dirname, '..', 'contracts', `${stackName}.addresses.txt`);
    const actual = addresses(synthStack(config));
    if (process.env.UPDATE_ADDRESS_CONTRACTS === '1') fs.writeFileSync(file, actual.join('\n') + '\n');
    const expected = fs.readFileSync(file, 'utf8').trim().split('\n');
    // A change here changes Terraform addresses: existing state must be moved (see migration/).
    expect(actual).toEqual(expected);
    for (const address of actual) expect(address).not.toMatch(/_[0-9A-F]{8}$/);
  });
});
