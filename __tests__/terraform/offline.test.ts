/**
 * Offline Terraform machinery and `mlflow-infra validate` with the real terraform binary. These
 * tests fail (never skip) when terraform or the provider mirror is missing, unless
 * MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1 says to skip, which is printed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { captureIo, manifestStacks, root, stacksWithTestFiles } from './stack-validation';
import {
  apiBackedDataSources,
  cliConfig,
  humanWarnings,
  jsonDiagnostics,
  TERRAFORM_GOGC,
  TERRAFORM_GOGC_LARGE,
  LARGE_STATE_INSTANCES,
  terraformGogc,
  PROVIDER_SDK_LOG_VARIABLES,
  prepareOfflineWorkspace,
  providerSdkLogsOff,
  requireTerraform,
  stubRandomInStack,
  stubRandomInState,
  randomResultsInState,
  TerraformUnavailableError,
  validateStack,
} from '../../src/terraform';
import { terraformTest } from '../helpers/terraform';

const realTest = terraformTest();

describe('random provider stubs', () => {
  const stack = {
    provider: { aws: [{ region: 'us-east-1' }], random: [{}] },
    terraform: { required_providers: { aws: { source: 'hashicorp/aws' }, random: { source: 'hashicorp/random' } } },
    resource: {
      random_password: { db: { length: 32 } },
      aws_db_instance: { main: { password: '${random_password.db.result}' } },
    },
  };

  test('in a stack: the resource becomes terraform_data and every reference follows', () => {
    const { stack: out, stubbed } = stubRandomInStack(stack);
    expect(stubbed).toEqual({ 'random_password.db': 'terraform_data.random_password_db' });
    expect(out.resource.random_password).toBeUndefined();
    expect(out.resource.terraform_data.random_password_db.input).toBe('offline-stub-random-password-db');
    expect(out.resource.aws_db_instance.main.password).toBe('${terraform_data.random_password_db.output}');
    expect(out.provider.random).toBeUndefined();
    expect(out.terraform.required_providers.random).toBeUndefined();
    expect(stack.resource.random_password.db).toEqual({ length: 32 });
  });

  test('in a state: the instance becomes a terraform_data instance with the stub value', () => {
    const state = { version: 4, resources: [{ mode: 'managed', type: 'random_password', name: 'db', provider: 'provider["registry.terraform.io/hashicorp/random"]', instances: [{ attributes: { result: 'secret' } }] }] };
    const { state: out, stubbed } = stubRandomInState(state);
    expect(stubbed).toEqual({ 'random_password.db': 'terraform_data.random_password_db' });
    expect(out.resources[0]).toMatchObject({ type: 'terraform_data', name: 'random_password_db', provider: 'provider["terraform.io/builtin/terraform"]' });
    expect(out.resources[0].instances[0].attributes.output.value).toBe('secret');
    expect(stubRandomInState({ ...state, resources: [{ ...state.resources[0], instances: [{ attributes: {} }] }] }).state.resources[0].instances[0].attributes.output.value).toBe(
      'offline-stub-random-password-db',
    );
  });

  test('with a state, the stand-ins in the stack produce the values the state holds', () => {
    const state = { resources: [{ mode: 'managed', type: 'random_password', name: 'db', instances: [{ attributes: { result: 'from-state' } }] }] };
    expect(randomResultsInState(state)).toEqual({ 'random_password.db': 'from-state' });
    expect(stubRandomInStack(stack, randomResultsInState(state)).stack.resource.terraform_data.random_password_db.input).toBe('from-state');
  });
});

describe('terraform output parsing', () => {
  test('warnings from human output, diagnostics from JSON', () => {
    expect(humanWarnings('│ Warning: Incomplete lock file information for providers\n│\nWarning: Deprecated attribute\n')).toEqual([
      'Incomplete lock file information for providers',
      'Deprecated attribute',
    ]);
    expect(jsonDiagnostics(JSON.stringify({ valid: false, diagnostics: [{ severity: 'error', summary: 'Unsupported argument' }] }), 'validate')).toEqual([
      { severity: 'error', summary: 'Unsupported argument', detail: undefined, phase: 'validate' },
    ]);
    const lines = [JSON.stringify({ type: 'version' }), JSON.stringify({ type: 'diagnostic', diagnostic: { severity: 'warning', summary: 'Argument is deprecated' } })].join('\n');
    expect(jsonDiagnostics(lines, 'plan')).toEqual([{ severity: 'warning', summary: 'Argument is deprecated', detail: undefined, phase: 'plan' }]);
  });

  test('data sources that need the AWS API are named', () => {
    expect(apiBackedDataSources({ data: { aws_caller_identity: { me: {} }, aws_iam_policy_document: { p: {} } } })).toEqual(['data.aws_caller_identity.me']);
  });

  test('the CLI config installs providers only from the mirror', () => {
    expect(cliConfig('/opt/mirror')).toContain('filesystem_mirror {\n    path    = "/opt/mirror"');
    expect(cliConfig('/opt/mirror')).not.toContain('direct');
  });

  test('a missing terraform or mirror is an error that says how to fix it', () => {
    expect(() => requireTerraform({ PATH: '/nonexistent', MLFLOW_INFRA_PROVIDER_MIRROR: '/nonexistent' })).toThrow(TerraformUnavailableError);
    expect(() => requireTerraform({ PATH: '/nonexistent', MLFLOW_INFRA_PROVIDER_MIRROR: '/nonexistent' })).toThrow(/terraform binary \(not on PATH; set TERRAFORM_BINARY.*and AWS provider filesystem mirror/);
  });
});

describe('the offline workspace environment', () => {
  realTest('terraform and its providers run with GOGC=400 (a third less CPU on large plans), unless the caller sets GOGC', () => {
    for (const [given, expected] of [[undefined, '400'], ['150', '150']] as const) {
      const env = { ...process.env };
      delete env.GOGC;
      if (given) env.GOGC = given;
      const ws = prepareOfflineWorkspace({ stackJson: { resource: {} }, env });
      try {
        expect(ws.env.GOGC).toBe(expected);
      } finally {
        ws.cleanup();
      }
    }
  });

  realTest(`a state of ${LARGE_STATE_INSTANCES} instances or more runs with GOGC=${TERRAFORM_GOGC_LARGE}`, () => {
    const state = (n: number) => ({ version: 4, resources: [{ mode: 'managed', type: 'aws_s3_bucket', name: 'b', each: 'list', instances: Array.from({ length: n }, (_, i) => ({ index_key: i, attributes: {} })) }] });
    expect(terraformGogc(state(LARGE_STATE_INSTANCES - 1))).toBe(TERRAFORM_GOGC);
    expect(terraformGogc(state(LARGE_STATE_INSTANCES))).toBe(TERRAFORM_GOGC_LARGE);
    expect(terraformGogc(undefined)).toBe(TERRAFORM_GOGC);
    const env = { ...process.env };
    delete env.GOGC;
    for (const [given, expected] of [[undefined, TERRAFORM_GOGC_LARGE], ['150', '150']] as const) {
      const ws = prepareOfflineWorkspace({ stackJson: { resource: {} }, state: state(LARGE_STATE_INSTANCES), env: given ? { ...env, GOGC: given } : env });
      try {
        expect(ws.env.GOGC).toBe(expected);
      } finally {
        ws.cleanup();
      }
    }
  });
});

describe('the provider SDKs\' logs', () => {
  test('are off for every SDK subsystem when no log is asked for', () => {
    expect(providerSdkLogsOff({ PATH: '/bin' })).toEqual(Object.fromEntries(PROVIDER_SDK_LOG_VARIABLES.map((v) => [v, 'off'])));
    expect(PROVIDER_SDK_LOG_VARIABLES).toEqual(expect.arrayContaining(['TF_LOG_SDK', 'TF_LOG_SDK_PROTO', 'TF_LOG_SDK_HELPER_SCHEMA', 'TF_LOG_SDK_FRAMEWORK', 'TF_LOG_SDK_MUX']));
  });

  test.each(['TF_LOG', 'TF_LOG_PATH', 'TF_LOG_CORE', 'TF_LOG_PROVIDER', 'TF_LOG_SDK_PROTO'])('flow as terraform sends them when %s is set', (v) => {
    expect(providerSdkLogsOff({ [v]: 'trace' })).toEqual({});
    expect(providerSdkLogsOff({ [v]: '' })).toEqual(Object.fromEntries(PROVIDER_SDK_LOG_VARIABLES.map((x) => [x, 'off'])));
  });

  realTest('reach terraform through the workspace environment', () => {
    const env = { ...process.env };
    for (const v of ['TF_LOG', 'TF_LOG_PATH', 'TF_LOG_CORE', ...PROVIDER_SDK_LOG_VARIABLES]) delete env[v];
    const quiet = prepareOfflineWorkspace({ stackJson: { resource: {} }, env });
    const traced = prepareOfflineWorkspace({ stackJson: { resource: {} }, env: { ...env, TF_LOG: 'trace' } });
    try {
      expect(quiet.env.TF_LOG_SDK_PROTO).toBe('off');
      expect(traced.env.TF_LOG_SDK_PROTO).toBeUndefined();
      expect(traced.env.TF_LOG).toBe('trace');
    } finally {
      quiet.cleanup();
      traced.cleanup();
    }
  });
});

describe('mlflow-infra validate', () => {
  test('fails loudly when terraform is missing, and skips only when told to', async () => {
    // This test's own run may have the opt-out set (a machine without terraform): the first case must not inherit it.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
    delete env.TERRAFORM_BINARY;
    delete env.MLFLOW_INFRA_ALLOW_NO_TERRAFORM;
    const io = captureIo(env);
    expect(await main(['validate', '--stack', 'mlflow-staging'], io)).toBe(1);
    expect(io.err.join('')).toContain('NOTHING WAS VALIDATED WITH TERRAFORM');
    // A skip is not a pass: its own exit code (77, the test-harness convention for "skipped").
    const skip = captureIo({ ...env, MLFLOW_INFRA_ALLOW_NO_TERRAFORM: '1' });
    expect(await main(['validate', '--stack', 'mlflow-staging'], skip)).toBe(77);
    expect(skip.err.join('')).toContain('reporting this as a skip (exit 77), not a pass');
    const json = captureIo({ ...env, MLFLOW_INFRA_ALLOW_NO_TERRAFORM: '1' });
    expect(await main(['validate', '--stack', 'mlflow-staging', '--json'], json)).toBe(77);
    expect(JSON.parse(json.out.join(''))).toEqual({ skipped: true, reason: expect.stringContaining('missing terraform binary'), stacks: ['mlflow-staging'] });
  });

  test('an unknown stack is a usage error', async () => {
    const io = captureIo();
    expect(await main(['validate', '--stack', 'mlflow-nope'], io)).toBe(64);
    expect(io.err.join('')).toContain("unknown stack 'mlflow-nope'; synthesized stacks: ");
  });

  test('every synthesized stack is validated with real terraform, each in its own test file (validate.<stack>.test.ts)', () => {
    // One file per stack lets jest run them on different workers; this keeps them complete.
    expect(stacksWithTestFiles()).toEqual(manifestStacks());
  });

  test('the longest files start first in a run (measured seconds, longest first), then any other real-terraform file, the tiny per-stack files included (scripts/jest-sequencer.js)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Sequencer = require('../../scripts/jest-sequencer.js');
    const sizes: Record<string, number> = {
      'review.test.ts': 20000,
      'validate.mlflow-staging.test.ts': 150,
      'synth.test.ts': 30000,
      'apply.terraform.test.ts': 25000,
      'gate.terraform.test.ts': 3000,
      'movefile.terraform.test.ts': 5000,
    };
    const context = { config: { cache: false, rootDir: root }, hasteFS: { getSize: (file: string) => sizes[path.basename(file)] } };
    const files = [
      '__tests__/plan-review/review.test.ts',
      '__tests__/terraform/validate.mlflow-staging.test.ts',
      '__tests__/stacks/synth.test.ts',
      '__tests__/migration/movefile.terraform.test.ts',
      '__tests__/migration/apply.terraform.test.ts',
      '__tests__/migration/gate.terraform.test.ts',
    ];
    const order = new Sequencer().sort(files.map((f) => ({ path: path.join(root, f), context })));
    expect(order.map((t: { path: string }) => path.relative(root, t.path))).toEqual([
      '__tests__/migration/apply.terraform.test.ts', // 31 s
      '__tests__/migration/gate.terraform.test.ts', // 25 s
      '__tests__/terraform/validate.mlflow-staging.test.ts', // 10 s
      '__tests__/stacks/synth.test.ts', // 9 s
      '__tests__/migration/movefile.terraform.test.ts', // real terraform, not measured
      '__tests__/plan-review/review.test.ts',
    ]);
    // The table names files that exist (a renamed file would silently lose its place).
    for (const file of Object.keys(Sequencer.MEASURED_SECONDS)) expect(fs.existsSync(path.join(root, file))).toBe(true);
  });

  realTest(`a broken stack fails with the error terraform reports, from plan (which validates first): no separate terraform validate; terraform runs with GOGC ${TERRAFORM_GOGC} unless GOGC is set`, async () => {
    const stack = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out/stacks/mlflow-staging/cdk.tf.json'), 'utf8'));
    stack.resource.aws_vpc.network_vpc.not_an_argument = true;
    // A terraform that logs its subcommand: each terraform process loads the provider schema again.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-tflog-'));
    const wrapper = path.join(dir, 'terraform');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$2 GOGC=$GOGC" >> ${JSON.stringify(path.join(dir, 'log'))}\nexec ${JSON.stringify(requireTerraform().terraform)} "$@"\n`, { mode: 0o755 });
    try {
      const result = await validateStack('broken', stack, () => undefined, { ...process.env, GOGC: undefined, TERRAFORM_BINARY: wrapper });
      expect(result.ok).toBe(false);
      expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', summary: 'Extraneous JSON object property', phase: 'plan' }));
      // Go collects garbage a quarter as often (~25% less CPU for terraform and the provider); a GOGC of your own is kept.
      expect(fs.readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n')).toEqual([`init GOGC=${TERRAFORM_GOGC}`, `plan GOGC=${TERRAFORM_GOGC}`]);
      expect(Number(TERRAFORM_GOGC)).toBeGreaterThan(100); // Go's default
      const own = prepareOfflineWorkspace({ stackJson: { resource: {} }, env: { ...process.env, GOGC: '150' } });
      own.cleanup();
      expect(own.env.GOGC).toBe('150');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
