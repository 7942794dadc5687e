/**
 * Example values (placeholders) in the config: one detector names every field still holding one;
 * synth warns about each; `plan` against a real backend (S3, Terraform Cloud) refuses while the
 * stack carries any, naming the fields, before terraform runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { environments } from '../../src/config/environments';
import { production } from '../../src/config/environments/production';
import { staging } from '../../src/config/environments/staging';
import { exampleValuesRefusal, findExampleValues } from '../../src/config/placeholders';
import { EnvironmentConfig } from '../../src/config/types';
import { validateEnvironment } from '../../src/config/validate';
import { LoopError, ProcessRunner, runTerraformLoop } from '../../src/plan-review/loop';
import { runSynth } from '../../src/cli/synth';
import { synthStack } from '../helpers/synth';
import { captureIo } from '../plan-review/helpers';

const ROOT = path.join(__dirname, '..', '..');

/** Production with the team's own values in place of every example. */
function supplied(config: EnvironmentConfig): EnvironmentConfig {
  const text = JSON.stringify(config)
    .replace(/123456789012/g, '210987654321')
    .replace(/example\.com/g, 'fraud.acme-corp.net')
    .replace('Z0123456789ABCDEFGHIJ', 'Z2FDTNDATAQYW2')
    .replace('sg-0123456789abcdef0', 'sg-0a1b2c3d4e5f60718')
    .replace('tgw-0123456789abcdef0', 'tgw-0f1e2d3c4b5a69788')
    .replace(/mlflow-2\.18\.0/g, '3f9c2a1b7d4e');
  return JSON.parse(text) as EnvironmentConfig;
}

test('the detector names every field of a shipped config that still holds an example', () => {
  const found = findExampleValues(production);
  expect(found.map((f) => f.path)).toEqual([
    'production.accountId',
    'production.network.clientRoutes[0].transitGatewayId',
    'production.artifacts.bucketName',
    'production.artifacts.accessLogsBucketName',
    'production.registry.image.tag',
    'production.edge.domainName',
    'production.edge.hostname',
    'production.edge.hostedZoneId',
    'production.apiAccess.hostname',
    'production.apiAccess.allowedSecurityGroupIds[0]',
    'production.alarms.emails[0]',
  ]);
  expect(found.find((f) => f.path === 'production.apiAccess.allowedSecurityGroupIds[0]')).toEqual({ path: 'production.apiAccess.allowedSecurityGroupIds[0]', value: 'sg-0123456789abcdef0', what: 'an example id (its digits count 0123456789)' });
  expect(found.find((f) => f.path === 'production.edge.hostedZoneId')?.value).toBe('Z0123456789ABCDEFGHIJ');
  // The OIDC endpoints of staging are examples too.
  expect(findExampleValues(staging).map((f) => f.path)).toContain('staging.edge.auth.tokenEndpoint');
});

test('a config with the real values has none (and is still valid)', () => {
  const real = supplied(production);
  expect(validateEnvironment(real)).toEqual([]);
  expect(findExampleValues(real)).toEqual([]);
  // Documentation address ranges (RFC 5737) are examples wherever they appear.
  const docs = { ...real, waf: { ...real.waf, allowListCidrs: ['203.0.113.0/24'] } };
  expect(findExampleValues(docs)).toEqual([{ path: 'production.waf.allowListCidrs[0]', value: '203.0.113.0/24', what: 'a documentation address range (RFC 5737)' }]);
});

test('synth succeeds and warns, listing each field that holds an example', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-examples-'));
  try {
    let stderr = '';
    expect(runSynth({ CDKTF_OUTDIR: path.join(dir, 'out') }, { write: (t: string) => (stderr += t) })).toBe(0);
    const total = environments.flatMap(findExampleValues).length;
    expect(stderr).toContain(`synth: warning: ${total} configuration values still hold an example; supply the real ones`);
    expect(stderr).toContain('  - production.apiAccess.allowedSecurityGroupIds[0]: "sg-0123456789abcdef0" holds an example id');
    expect(stderr).toContain('  - production.edge.hostedZoneId: "Z0123456789ABCDEFGHIJ" holds an example id');
    expect(stderr).toContain('  - staging.edge.domainName: "example.com" holds a domain reserved for examples (RFC 2606)');
    expect(stderr).toContain('  - apprunner-staging.registry.image.tag: "mlflow-2.18.0" holds an example image tag');
    expect(fs.existsSync(path.join(dir, 'out', 'stacks', 'mlflow-production', 'cdk.tf.json'))).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A project with one synthesized stack, and a runner that records what would run. */
function project(stack: string, stackJson: unknown) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-examples-loop-'));
  fs.mkdirSync(path.join(cwd, 'cdktf.out', 'stacks', stack), { recursive: true });
  fs.writeFileSync(path.join(cwd, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), JSON.stringify(stackJson));
  const calls: string[] = [];
  const runner: ProcessRunner = {
    run: async (_file, args) => {
      calls.push(args.join(' '));
      return { code: 0, stdout: args.includes('version') ? '{"terraform_version":"1.11.4"}' : '{}', output: '' };
    },
  };
  return { cwd, calls, runner, cleanup: () => fs.rmSync(cwd, { recursive: true, force: true }) };
}

const committed = (stack: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));

test('plan against a real backend refuses while the stack carries an example, naming each field, before terraform runs', async () => {
  for (const stack of ['mlflow-production', 'mlflow-staging']) {
    const p = project(stack, committed(stack));
    try {
      const run = runTerraformLoop({ stack, mode: 'plan', cwd: p.cwd, env: process.env, synth: false, runner: p.runner, progress: () => undefined });
      await expect(run).rejects.toThrow(LoopError);
      await expect(run).rejects.toThrow(new RegExp(`^plan refused: stack '${stack}' has a real backend and \\d+ values still holding an example`));
      if (stack === 'mlflow-production') await expect(run).rejects.toThrow('  - production.apiAccess.allowedSecurityGroupIds[0]: "sg-0123456789abcdef0" holds an example id');
      expect(p.calls).toEqual([]);
    } finally {
      p.cleanup();
    }
  }
});

test('plan proceeds once the values are real; a local backend (offline validation) and drift are not refused', async () => {
  const real = supplied(production);
  const ok = project('mlflow-production', synthStack(real));
  try {
    await runTerraformLoop({ stack: 'mlflow-production', mode: 'plan', cwd: ok.cwd, env: process.env, synth: false, runner: ok.runner, progress: () => undefined, configs: [real] });
    expect(ok.calls.map((c) => c.split(' ')[1])).toEqual(['-json', 'init', 'plan', 'show']);
  } finally {
    ok.cleanup();
  }
  const local = project('mlflow-staging', { ...committed('mlflow-staging'), terraform: { backend: { local: { path: 'terraform.tfstate' } } } });
  const drift = project('mlflow-staging', committed('mlflow-staging'));
  try {
    await runTerraformLoop({ stack: 'mlflow-staging', mode: 'plan', cwd: local.cwd, env: process.env, synth: false, runner: local.runner, progress: () => undefined });
    expect(local.calls).toHaveLength(3);
    await runTerraformLoop({ stack: 'mlflow-staging', mode: 'drift', cwd: drift.cwd, env: process.env, synth: false, runner: drift.runner, progress: () => undefined });
    expect(drift.calls).toHaveLength(3);
  } finally {
    local.cleanup();
    drift.cleanup();
  }
});

test('mlflow-infra plan exits 1 with the refusal; a stack no environment defines is checked by its own strings', async () => {
  const p = project('mlflow-staging', committed('mlflow-staging'));
  try {
    const io = captureIo({ cwd: p.cwd, env: process.env });
    expect(await main(['plan', 'mlflow-staging', '--no-synth'], io)).toBe(1);
    const err = io.err.join('');
    expect(err).toContain("mlflow-infra plan: plan refused: stack 'mlflow-staging' has a real backend");
    expect(err).toContain('  - staging.edge.hostedZoneId: "Z0123456789ABCDEFGHIJ"');
    expect(err).not.toContain('==> terraform');
  } finally {
    p.cleanup();
  }
  const foreign = { terraform: { backend: { s3: { bucket: 'b' } } }, resource: { aws_route53_record: { r: { zone_id: 'Z0123456789ABCDEFGHIJ' } } } };
  expect(exampleValuesRefusal('apply', 'mlflow-qa', foreign, environments)).toContain('  - cdktf.out/stacks/mlflow-qa/cdk.tf.json.resource.aws_route53_record.r.zone_id: "Z0123456789ABCDEFGHIJ" holds an example id');
  expect(exampleValuesRefusal('apply', 'mlflow-qa', { terraform: {} }, environments)).toBeUndefined();
});
