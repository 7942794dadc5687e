import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dummyVariables, emulatorOverride, prepareEmulatorWorkspace, servicesFor, typesOf, UnmappedServiceError } from '../../src/rehearsal/workspace';
import { findProviderMirror, findTerraform } from '../../src/terraform';

const root = path.resolve(__dirname, '../..');
const synthesized = (name: string) => JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out/stacks', name, 'cdk.tf.json'), 'utf8'));
const STACKS = ['mlflow-staging', 'mlflow-production', 'mlflow-apprunner-staging'];

test('servicesFor maps resource types to provider endpoint keys (longest prefix wins), STS always', () => {
  expect(servicesFor(['aws_cloudwatch_log_group', 'aws_cloudwatch_metric_alarm', 'aws_lb_listener', 'aws_route53_record', 'aws_route_table', 'aws_db_instance', 'aws_iam_policy_document', 'random_password', 'terraform_data'])).toEqual({
    services: ['cloudwatch', 'ec2', 'elbv2', 'logs', 'rds', 'route53', 'sts'],
    unknown: [],
  });
});

test('a type with no known service is reported, not sent to real AWS', () => {
  expect(servicesFor(['aws_sqs_queue', 'aws_vpc', 'aws_lambda_function']).unknown).toEqual(['aws_lambda_function', 'aws_sqs_queue']);
  expect(() => prepareEmulatorWorkspace({ endpoint: 'http://127.0.0.1:1', stackJson: { resource: { aws_sqs_queue: { q: {} } } } })).toThrow(UnmappedServiceError);
  expect(() => prepareEmulatorWorkspace({ endpoint: 'http://127.0.0.1:1', stackJson: { resource: { aws_sqs_queue: { q: {} } } } })).toThrow(
    'no emulator endpoint is known for resource type aws_sqs_queue: add the service to SERVICE_BY_TYPE_PREFIX in src/rehearsal/workspace.ts',
  );
});

test.each(STACKS)('every type in %s has an emulator endpoint', (name) => {
  expect(servicesFor(typesOf(synthesized(name))).unknown).toEqual([]);
});

test('the override sends every service to the emulator, path-style, few retries, guard kept unless lifted', () => {
  const o = emulatorOverride('us-east-1', { endpoint: 'http://127.0.0.1:4566', services: ['s3', 'ec2'] });
  const aws = o.provider.aws[0];
  expect(o.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
  expect(aws).toMatchObject({ region: 'us-east-1', s3_use_path_style: true, max_retries: 2, skip_credentials_validation: true, skip_requesting_account_id: false });
  expect(aws.endpoints).toEqual([{ ec2: 'http://127.0.0.1:4566', s3: 'http://127.0.0.1:4566' }]);
  expect('allowed_account_ids' in aws).toBe(false);
  expect(emulatorOverride('us-east-1', { endpoint: 'x', services: [], liftAccountGuard: true, maxRetries: 1 }).provider.aws[0]).toMatchObject({ allowed_account_ids: null, max_retries: 1 });
});

test('required variables (no default) get a recognisable dummy TF_VAR_ value; defaulted ones are left alone', () => {
  expect(dummyVariables({ variable: { oidc_client_secret: { type: 'string', sensitive: true }, region: { default: 'us-east-1' } } })).toEqual({
    TF_VAR_oidc_client_secret: 'rehearsal-dummy-oidc-client-secret',
  });
  expect(dummyVariables(synthesized('mlflow-staging'))).toEqual({ TF_VAR_oidc_client_secret: 'rehearsal-dummy-oidc-client-secret' });
});

const haveTerraform = Boolean(findTerraform() && findProviderMirror());
(haveTerraform ? describe : describe.skip)('prepareEmulatorWorkspace', () => {
  test('a synthesized stack: random stubbed, imports kept, override and dummy variables in place', () => {
    const stack = synthesized('mlflow-production');
    const ws = prepareEmulatorWorkspace({ endpoint: 'http://127.0.0.1:4567', stackJson: stack });
    try {
      const copy = JSON.parse(fs.readFileSync(path.join(ws.dir, 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(copy.resource).filter((t) => t.startsWith('random_'))).toEqual([]);
      expect(copy.import).toEqual(stack.import);
      expect(copy.terraform.cloud).toBeUndefined();
      const override = JSON.parse(fs.readFileSync(path.join(ws.dir, 'zz_offline_override.tf.json'), 'utf8'));
      expect(Object.keys(override.provider.aws[0].endpoints[0])).toEqual(servicesFor(typesOf(stack)).services);
      expect(ws.env.AWS_ACCESS_KEY_ID).toBe('AKIAREHEARSAL0000000');
      expect(ws.notes.at(-1)).toMatch(/^pointed .*sts.* at the emulator http:\/\/127\.0\.0\.1:4567$/);
    } finally {
      ws.cleanup();
    }
    expect(fs.existsSync(ws.dir)).toBe(false);
  });

  test('an HCL directory: its .tf files copied (nothing else), the override merged in, the services given', async () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-hcl-'));
    fs.writeFileSync(path.join(src, 'main.tf'), 'terraform {\n  backend "s3" {}\n}\nprovider "aws" {\n  region = "us-east-1"\n}\nresource "aws_s3_bucket" "b" {\n  bucket = "x-bucket"\n}\n');
    fs.writeFileSync(path.join(src, 'terraform.tfstate'), '{}');
    const ws = prepareEmulatorWorkspace({ endpoint: 'http://127.0.0.1:4567', sourceDir: src, services: ['s3'], extraEnv: { TF_VAR_x: '1' } });
    try {
      expect(fs.readdirSync(ws.dir).sort()).toEqual(['main.tf', 'terraform.rc', 'zz_offline_override.tf.json']);
      expect(ws.env.TF_VAR_x).toBe('1');
      const validate = await ws.run(['init', '-input=false', '-no-color']);
      expect(validate.code).toBe(0);
      expect(validate.stdout).toContain('Successfully configured the backend "local"');
    } finally {
      ws.cleanup();
      fs.rmSync(src, { recursive: true, force: true });
    }
  });
});
