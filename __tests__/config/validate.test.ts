/**
 * Config validation: every shipped environment is valid; each bad value is reported with its path,
 * the value and what is allowed; all problems come together.
 */
import { environments } from '../../src/config/environments';
import { production } from '../../src/config/environments/production';
import { staging } from '../../src/config/environments/staging';
import { applyEnvironmentOverrides } from '../../src/config/overrides';
import { EnvironmentConfig } from '../../src/config/types';
import { ConfigError, assertValidEnvironments, bucketNameProblem, validateEnvironment, validateEnvironments } from '../../src/config/validate';
import { parseCidr } from '../../src/config/cidr';

type Patch = (c: EnvironmentConfig) => EnvironmentConfig;
const net = (p: Partial<EnvironmentConfig['network']>): Patch => (c) => ({ ...c, network: { ...c.network, ...p } });
const db = (p: Partial<EnvironmentConfig['database']>): Patch => (c) => ({ ...c, database: { ...c.database, ...p } });
const svc = (p: Partial<EnvironmentConfig['service']>): Patch => (c) => ({ ...c, service: { ...c.service, ...p } });
const edge = (p: Partial<EnvironmentConfig['edge']>): Patch => (c) => ({ ...c, edge: { ...c.edge, ...p } });
const art = (p: Partial<EnvironmentConfig['artifacts']>): Patch => (c) => ({ ...c, artifacts: { ...c.artifacts, ...p } });

test('the shipped environments are valid', () => {
  expect(validateEnvironments(environments)).toEqual([]);
});

const cases: [string, Patch, string, unknown, RegExp][] = [
  ['stack name contract', (c) => ({ ...c, stackName: 'production' }), 'production.stackName', 'production', /must be "mlflow-production"/],
  ['account id', (c) => ({ ...c, accountId: '1234' }), 'production.accountId', '1234', /12-digit AWS account id/],
  ['region', (c) => ({ ...c, region: 'useast1' }), 'production.region', 'useast1', /AWS region code/],
  ['provider major', (c) => ({ ...c, awsProviderVersion: '~> 4.0' }), 'production.awsProviderVersion', '~> 4.0', /AWS provider 5\.x/],
  ['VPC CIDR syntax', net({ vpcCidr: '10.20.0.0/33' }), 'production.network.vpcCidr', '10.20.0.0/33', /IPv4 CIDR block with a prefix from \/16 to \/28/],
  ['VPC CIDR host bits', net({ vpcCidr: '10.20.0.1/16' }), 'production.network.vpcCidr', '10.20.0.1/16', /IPv4 CIDR/],
  ['one AZ', net({ availabilityZones: ['us-east-1a'], publicSubnetCidrs: ['10.20.0.0/24'], privateSubnetCidrs: ['10.20.10.0/24'] }), 'production.network.availabilityZones', ['us-east-1a'], /at least 2 availability zones/],
  ['AZ of another region', net({ availabilityZones: ['us-east-1a', 'eu-west-1b'] }), 'production.network.availabilityZones[1]', 'eu-west-1b', /availability zone of us-east-1/],
  ['subnet count vs AZs', net({ publicSubnetCidrs: ['10.20.0.0/24'] }), 'production.network.publicSubnetCidrs', ['10.20.0.0/24'], /one CIDR per availability zone \(2\), got 1/],
  ['subnet outside VPC', net({ privateSubnetCidrs: ['10.20.10.0/24', '10.99.0.0/24'] }), 'production.network.privateSubnetCidrs[1]', '10.99.0.0/24', /inside the VPC CIDR 10\.20\.0\.0\/16/],
  ['subnet overlap', net({ privateSubnetCidrs: ['10.20.10.0/24', '10.20.0.0/23'] }), 'production.network.privateSubnetCidrs[1]', '10.20.0.0/23', /overlaps network\.publicSubnetCidrs\[0\] \(10\.20\.0\.0\/24\)/],
  ['NAT mode', net({ natGateways: 'two' as never }), 'production.network.natGateways', 'two', /must be one of "single", "per-az"/],
  ['flow log retention', net({ flowLogRetentionDays: 42 }), 'production.network.flowLogRetentionDays', 42, /must be one of 1, 3, 5/],
  ['desired count in production', svc({ desiredCount: 1 }), 'production.service.desiredCount', 1, /at least 2 in production/],
  ['Fargate memory for cpu', svc({ memoryMiB: 1024 }), 'production.service.memoryMiB', 1024, /not a valid Fargate memory size for cpu 1024: allowed 2048\.\.8192 MiB/],
  ['Fargate cpu', svc({ cpu: 300 }), 'production.service.cpu', 300, /Fargate CPU values 256, 512/],
  ['log retention value', svc({ logRetentionDays: 100 }), 'production.service.logRetentionDays', 100, /must be one of/],
  ['log retention in production', svc({ logRetentionDays: 90 }), 'production.service.logRetentionDays', 90, /at least 365 in production/],
  ['gunicorn vs ALB timeout', svc({ gunicornTimeoutSeconds: 200 }), 'production.service.gunicornTimeoutSeconds', 200, /below edge\.idleTimeoutSeconds \(180\)/],
  ['IAM role name', svc({ taskRoleName: 'bad role!' }), 'production.service.taskRoleName', 'bad role!', /IAM role name/],
  ['DB instance class', db({ instanceClass: 'm5.large' }), 'production.database.instanceClass', 'm5.large', /RDS instance class such as "db\.t3\.micro"/],
  ['DB identifier', db({ identifier: 'Fraud_DB' }), 'production.database.identifier', 'Fraud_DB', /lower-case letters, digits or hyphens/],
  ['DB backups', db({ backupRetentionDays: 0 }), 'production.database.backupRetentionDays', 0, /whole number from 1 to 35/],
  ['DB deletion protection in production', db({ deletionProtection: false }), 'production.database.deletionProtection', false, /must be true in production/],
  ['DB final snapshot in production', db({ finalSnapshot: false }), 'production.database.finalSnapshot', false, /must be true in production/],
  ['password characters RDS rejects', db({ passwordSpecialCharacters: '-_@' }), 'production.database.passwordSpecialCharacters', '-_@', /RDS rejects them/],
  ['Aurora with Multi-AZ flag', db({ engine: 'aurora-postgresql', aurora: { minCapacityAcu: 0.5, maxCapacityAcu: 4, instances: 2 } }), 'production.database.multiAz', true, /Aurora spreads instances/],
  ['Aurora min > max', db({ engine: 'aurora-postgresql', multiAz: false, aurora: { minCapacityAcu: 8, maxCapacityAcu: 4, instances: 2 } }), 'production.database.aurora.minCapacityAcu', 8, /must not exceed maxCapacityAcu \(4\)/],
  ['Performance Insights retention', db({ performanceInsightsRetentionDays: 30 }), 'production.database.performanceInsightsRetentionDays', 30, /7, a multiple of 31/],
  ['bucket name rules', art({ bucketName: 'Fraud_Models' }), 'production.artifacts.bucketName', 'Fraud_Models', /not a valid S3 bucket name/],
  ['bucket name as IP', art({ bucketName: '192.168.1.1' }), 'production.artifacts.bucketName', '192.168.1.1', /IP address/],
  ['prefix shape', art({ prefix: '/mlflow-artifacts' }), 'production.artifacts.prefix', '/mlflow-artifacts', /without a leading "\/", ending in "\/"/],
  ['force destroy in production', art({ forceDestroy: true }), 'production.artifacts.forceDestroy', true, /must not be true in production/],
  ['IA transition', art({ transitionToIaDays: 10 }), 'production.artifacts.transitionToIaDays', 10, /at least 30/],
  ['Glacier after IA', art({ transitionToGlacierDays: 40 }), 'production.artifacts.transitionToGlacierDays', 40, /at least transitionToIaDays \+ 30 \(60\)/],
  ['image tag latest', (c) => ({ ...c, registry: { ...c.registry, image: { tag: 'latest' } } }), 'production.registry.image.tag', 'latest', /immutable image tag/],
  ['image digest shape', (c) => ({ ...c, registry: { ...c.registry, image: { digest: 'sha256:abc' } } }), 'production.registry.image.digest', 'sha256:abc', /64 lower-case hex digits/],
  ['domain shape', edge({ domainName: 'localhost' }), 'production.edge.domainName', 'localhost', /DNS name of two or more labels/],
  ['hostname in domain', edge({ hostname: 'mlflow.other.org' }), 'production.edge.hostname', 'mlflow.other.org', /inside edge\.domainName \(example\.com\)/],
  ['hosted zone id', edge({ hostedZoneId: 'zone-1' }), 'production.edge.hostedZoneId', 'zone-1', /Route53 hosted zone id/],
  ['certificate ARN shape', edge({ certificate: { mode: 'existing', arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c6a8e-6a43-4c1e-9b59-2f6f5c3d9a10' } }), 'production.edge.certificate.arn', 'arn:aws:acm:eu-west-1:123456789012:certificate/0b0c6a8e-6a43-4c1e-9b59-2f6f5c3d9a10', /ACM certificate ARN in us-east-1/],
  ['target group name length', edge({ targetGroupName: 'x'.repeat(33) }), 'production.edge.targetGroupName', 'x'.repeat(33), /1-32 letters/],
  ['ALB deletion protection in production', edge({ deletionProtection: false }), 'production.edge.deletionProtection', false, /must be true in production/],
  ['Cognito domain prefix', edge({ auth: { type: 'cognito', domainPrefix: 'aws-mlflow', userPoolName: 'p', sessionTimeoutSeconds: 3600 } }), 'production.edge.auth.domainPrefix', 'aws-mlflow', /without "aws", "amazon" or "cognito"/],
  ['OIDC endpoints are https', (c) => ({ ...c, edge: { ...staging.edge, auth: { ...(staging.edge.auth as never as object), tokenEndpoint: 'http://login.example.com/token' } as never } }), 'production.edge.auth.tokenEndpoint', 'http://login.example.com/token', /https:\/\/ URL/],
  ['SG description characters', edge({ securityGroups: { ...production.edge.securityGroups, alb: { name: 'alb', description: 'ALB «sg»' } } }), 'production.edge.securityGroups.alb.description', 'ALB «sg»', /1-255 characters from letters/],
  ['local backend absolute path', (c) => ({ ...c, backend: { type: 'local', path: '/var/tf/state' } }), 'production.backend.path', '/var/tf/state', /relative path/],
  ['S3 backend bucket', (c) => ({ ...c, backend: { type: 's3', bucket: 'Bad Bucket', key: 'k', region: 'us-east-1' } }), 'production.backend.bucket', 'Bad Bucket', /not a valid S3 bucket name/],
  ['TFC workspace', (c) => ({ ...c, backend: { type: 'cloud', organization: 'org', workspace: 'bad workspace' } }), 'production.backend.workspace', 'bad workspace', /Terraform Cloud workspace name/],
];

test.each(cases)('%s', (_name, patch, path, value, message) => {
  const problems = validateEnvironment(patch(production));
  const problem = problems.find((p) => p.path === path);
  expect(problem).toBeDefined();
  expect(problem!.value).toEqual(value);
  expect(problem!.message).toMatch(message);
});

test('all problems are reported together, each with path, value and what is allowed', () => {
  const bad: EnvironmentConfig = { ...production, accountId: 'x', network: { ...production.network, vpcCidr: 'nope' }, service: { ...production.service, desiredCount: 1 } };
  expect(() => assertValidEnvironments([bad, staging])).toThrow(ConfigError);
  try {
    assertValidEnvironments([bad, staging]);
  } catch (err) {
    const message = (err as Error).message;
    expect(message).toMatch(/^invalid configuration \(\d+ problems\):/);
    expect(message).toContain('- production.accountId: "x" must be a 12-digit AWS account id');
    expect(message).toContain('- production.network.vpcCidr: "nope" must be an IPv4 CIDR block');
    expect(message).toContain('- production.service.desiredCount: 1 must be at least 2 in production');
  }
});

test('two environments may not share a stack name', () => {
  const problems = validateEnvironments([staging, { ...staging }]);
  expect(problems).toContainEqual({ path: 'staging.stackName', value: 'mlflow-staging', message: 'is also used by environment "staging"; stack names must be unique' });
});

test('staging may run one task; production may not', () => {
  expect(validateEnvironment({ ...staging, service: { ...staging.service, desiredCount: 1 } })).toEqual([]);
});

describe('environment overrides at synth', () => {
  const digest = `sha256:${'0f'.repeat(32)}`;
  test('MLFLOW_IMAGE_DIGEST_<ENV> pins the image by digest and wins over a tag', () => {
    const c = applyEnvironmentOverrides(production, { MLFLOW_IMAGE_DIGEST_PRODUCTION: digest, MLFLOW_IMAGE_TAG_PRODUCTION: 'abc' });
    expect(c.registry.image).toEqual({ digest });
    expect(applyEnvironmentOverrides(staging, { MLFLOW_IMAGE_DIGEST_PRODUCTION: digest })).toBe(staging);
  });
  test('MLFLOW_IMAGE_TAG_<ENV> sets a tag; a bad override is a validation error', () => {
    expect(applyEnvironmentOverrides(staging, { MLFLOW_IMAGE_TAG_STAGING: 'git-0123abc' }).registry.image).toEqual({ tag: 'git-0123abc' });
    const bad = applyEnvironmentOverrides(production, { MLFLOW_IMAGE_DIGEST_PRODUCTION: 'sha256:short' });
    expect(validateEnvironment(bad).map((p) => p.path)).toEqual(['production.registry.image.digest']);
  });
});

test('CIDR and bucket helpers', () => {
  expect(parseCidr('10.20.0.0/16')).toEqual({ network: (10 << 24) + (20 << 16), prefix: 16 });
  expect(parseCidr('256.0.0.0/8')).toBeUndefined();
  expect(bucketNameProblem('fraud-scoring-models-123456789012')).toBeUndefined();
  expect(bucketNameProblem('a..b')).toMatch(/two adjacent dots/);
  expect(bucketNameProblem('xn--abc')).toMatch(/xn--/);
});
