/**
 * aws-cdk-style grants: each resource construct grants what it owns (the repository its pull, the
 * key its use, the bucket a prefix) to a role's inline policy or a managed policy, in grant order.
 * What each grant gives, to which role, scoped to what.
 */
import { App, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { apprunnerStaging } from '../../src/config/environments/apprunner-staging';
import { staging } from '../../src/config/environments/staging';
import { ArtifactsClientPolicy } from '../../src/constructs/api-access';
import { ArtifactStorage } from '../../src/constructs/artifacts';
import { EncryptionKey } from '../../src/constructs/encryption';
import { GrantableRole, GrantedPolicyDocument, grantLogsWrite, grantSecretsRead } from '../../src/constructs/iam';
import { ImageRepository } from '../../src/constructs/registry';
import { ReadableIdsStack } from '../../src/stacks/logical-ids';
import { APP_CONTEXT } from '../../src/synth';
import { Json, policy, ref, resource, synthStack } from '../helpers/synth';

interface Fixture {
  app: App;
  stack: TerraformStack;
  key: EncryptionKey;
  registry: ImageRepository;
  storage: ArtifactStorage;
  role: GrantableRole;
}

function fixture(): Fixture {
  const app = Testing.app({ context: APP_CONTEXT });
  const stack = new ReadableIdsStack(app, 'grants');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const key = new EncryptionKey(stack, 'encryption', { accountId: '123456789012', region: 'us-east-1', alias: 'grants-test' });
  const registry = new ImageRepository(stack, 'registry', { config: staging.registry, kmsKeyArn: key.arn });
  const storage = new ArtifactStorage(stack, 'storage', { config: staging.artifacts, region: 'us-east-1', accountId: '123456789012', encryptionKey: key });
  const role = new GrantableRole(stack, { roleId: 'worker-role', roleName: 'worker', assumedBy: 'ecs-tasks.amazonaws.com', accountId: '123456789012', policyId: 'worker-policy', policyName: 'worker-inline' });
  return { app, stack, key, registry, storage, role };
}

const synth = (stack: TerraformStack): Json => JSON.parse(Testing.synth(stack));
/** The inline policy of `worker-role`: its statements, and which role it is attached to. */
function workerPolicy(stack: TerraformStack): { role: string; name: string; statements: Json[] } {
  const p = resource(synth(stack), 'aws_iam_role_policy', 'worker_policy');
  return { role: p.role, name: p.name, statements: policy(p.policy).Statement };
}

const KEY_ARN = ref('aws_kms_key.encryption_key', 'arn');
const BUCKET_ARN = ref('aws_s3_bucket.storage_artifacts_bucket', 'arn');
const REPOSITORY_ARN = ref('aws_ecr_repository.registry_repository', 'arn');

describe('ImageRepository.grantPull', () => {
  test('the registry login (unscopable) and the pull actions on this repository only, into the role it is given', () => {
    const f = fixture();
    f.registry.grantPull(f.role);
    expect(workerPolicy(f.stack)).toEqual({
      role: ref('aws_iam_role.worker_role', 'id'),
      name: 'worker-inline',
      statements: [
        { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        { Sid: 'PullMlflowImage', Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: REPOSITORY_ARN },
      ],
    });
  });

  test('describeImages adds ecr:DescribeImages (App Runner resolves the image with it), on the same repository', () => {
    const f = fixture();
    f.registry.grantPull(f.role, { describeImages: true });
    expect(workerPolicy(f.stack).statements[1]).toEqual({
      Sid: 'PullMlflowImage',
      Effect: 'Allow',
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:DescribeImages'],
      Resource: REPOSITORY_ARN,
    });
  });
});

describe('EncryptionKey grants', () => {
  test('grantDecrypt: kms:Decrypt with this key only, under the given Sid', () => {
    const f = fixture();
    f.key.grantDecrypt(f.role, 'DecryptImageLayers');
    expect(workerPolicy(f.stack).statements).toEqual([{ Sid: 'DecryptImageLayers', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN }]);
  });

  test('grantEncryptDecrypt: kms:Decrypt and kms:GenerateDataKey (SSE-KMS reads and writes), nothing else', () => {
    const f = fixture();
    f.key.grantEncryptDecrypt(f.role, 'ObjectsKey');
    expect(workerPolicy(f.stack).statements).toEqual([{ Sid: 'ObjectsKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN }]);
  });
});

describe('ArtifactStorage.grantReadWrite', () => {
  test('lists only the prefix, reads/writes/deletes objects under it, and uses the bucket key', () => {
    const f = fixture();
    f.storage.grantReadWrite(f.role, 'team-a/');
    expect(workerPolicy(f.stack).statements).toEqual([
      { Sid: 'ListArtifactPrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET_ARN, Condition: { StringLike: { 's3:prefix': ['team-a/', 'team-a/*'] } } },
      { Sid: 'ReadWriteArtifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${BUCKET_ARN}/team-a/*` },
      { Sid: 'ArtifactsKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN },
    ]);
  });

  test('the logs bucket is never granted: every statement is on the artifacts bucket or the key', () => {
    const f = fixture();
    f.storage.grantReadWrite(f.role, 'mlflow-artifacts/');
    const resources = workerPolicy(f.stack).statements.map((s) => s.Resource);
    expect(resources.every((r: string) => r.startsWith(BUCKET_ARN) || r === KEY_ARN)).toBe(true);
    expect(JSON.stringify(resources)).not.toContain('storage_logs_bucket');
  });

  test('a managed policy (ArtifactsClientPolicy) is granted the same way', () => {
    const f = fixture();
    new ArtifactsClientPolicy(f.stack, 'artifacts-client', { name: 'clients', storage: f.storage, prefix: 'mlflow-artifacts/' });
    f.key.grantDecrypt(f.role, 'Unrelated');
    const doc = policy(resource(synth(f.stack), 'aws_iam_policy', 'artifacts_client_policy').policy);
    expect(doc.Statement.map((s: Json) => [s.Sid, s.Resource])).toEqual([
      ['ListArtifactPrefix', BUCKET_ARN],
      ['ReadWriteArtifacts', `${BUCKET_ARN}/mlflow-artifacts/*`],
      ['ArtifactsKey', KEY_ARN],
    ]);
  });
});

describe('secrets and logs', () => {
  test('grantSecretsRead: GetSecretValue on exactly these secrets; one is a string, several a list, alwaysList keeps a list', () => {
    const f = fixture();
    grantSecretsRead(f.role, ['arn:one'], 'One');
    grantSecretsRead(f.role, ['arn:one', 'arn:two'], 'Two');
    grantSecretsRead(f.role, ['arn:one'], 'Listed', { alwaysList: true });
    expect(workerPolicy(f.stack).statements).toEqual([
      { Sid: 'One', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:one' },
      { Sid: 'Two', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: ['arn:one', 'arn:two'] },
      { Sid: 'Listed', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: ['arn:one'] },
    ]);
    expect(() => grantSecretsRead(f.role, [], 'None')).toThrow('grants/worker-role: grantSecretsRead (None) needs at least one secret ARN');
  });

  test("grantLogsWrite: create streams and put events in that log group's streams", () => {
    const f = fixture();
    grantLogsWrite(f.role, 'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/x');
    expect(workerPolicy(f.stack).statements).toEqual([
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/x:*' },
    ]);
  });
});

describe('grant documents', () => {
  test('statements keep grant order, go only to the role granted, and a grant after the policy exists still lands', () => {
    const f = fixture();
    const other = new GrantableRole(f.stack, { roleId: 'other-role', roleName: 'other', assumedBy: 'ecs-tasks.amazonaws.com', accountId: '123456789012', policyId: 'other-policy', policyName: 'other-inline' });
    f.key.grantDecrypt(f.role, 'First');
    f.registry.grantPull(other);
    f.storage.grantReadWrite(f.role, 'p/');
    expect(workerPolicy(f.stack).statements.map((s) => s.Sid)).toEqual(['First', 'ListArtifactPrefix', 'ReadWriteArtifacts', 'ArtifactsKey']);
    expect(policy(resource(synth(f.stack), 'aws_iam_role_policy', 'other_policy').policy).Statement.map((s: Json) => s.Sid)).toEqual(['EcrLogin', 'PullMlflowImage']);
    expect(resource(synth(f.stack), 'aws_iam_role', 'worker_role')).toMatchObject({ name: 'worker' });
    expect(policy(resource(synth(f.stack), 'aws_iam_role', 'worker_role').assume_role_policy).Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
  });

  test('a Sid granted twice to one policy is an error naming the policy and the Sid', () => {
    const f = fixture();
    f.registry.grantPull(f.role);
    expect(() => f.registry.grantPull(f.role)).toThrow('grants/worker-role: a statement with Sid "EcrLogin" is already granted (Sids are unique in a policy)');
  });

  test('a policy nothing was granted to fails at synthesis, naming it', () => {
    const f = fixture();
    expect(() => synth(f.stack)).toThrow('grants/worker-role: the policy grants nothing (grant something to it or remove it)');
    expect(new GrantedPolicyDocument('x').granted).toEqual([]);
  });
});

describe('the runtimes use the same grants', () => {
  test('the ECS task role, the App Runner instance role and the artifacts client policy get the same artifact statements; both image pullers the same pull', () => {
    const ecs = synthStack(staging);
    const ar = synthStack(apprunnerStaging);
    const statements = (stack: Json, type: string, name: string): Json[] => policy(resource(stack, type, name).policy).Statement;
    const artifacts = (s: Json[]) => s.filter((x) => ['ListArtifactPrefix', 'ReadWriteArtifacts', 'ArtifactsKey'].includes(x.Sid));
    const task = statements(ecs, 'aws_iam_role_policy', 'mlflow_task_policy');
    expect(task.map((s) => s.Sid)).toEqual(['ListArtifactPrefix', 'ReadWriteArtifacts', 'ArtifactsKey']);
    expect(artifacts(statements(ar, 'aws_iam_role_policy', 'apprunner_instance_policy'))).toEqual(task);
    expect(statements(ecs, 'aws_iam_policy', 'artifacts_client_policy')).toEqual(task);
    const execution = statements(ecs, 'aws_iam_role_policy', 'mlflow_execution_policy');
    const access = statements(ar, 'aws_iam_role_policy', 'apprunner_access_policy');
    expect(execution.map((s) => s.Sid)).toEqual(['EcrLogin', 'PullMlflowImage', 'WriteLogs', 'ReadDatabaseSecret', 'DecryptWithStackKey']);
    expect(access.map((s) => s.Sid)).toEqual(['EcrLogin', 'PullMlflowImage', 'DecryptImageLayers']);
    expect(access[1]).toEqual({ ...execution[1], Action: [...execution[1].Action, 'ecr:DescribeImages'] });
  });
});
