/** The cut-over scenario's checks (the scenario itself runs in `npm run rehearse -- cutover`, against moto). */
import { checkPlan, reviewPlan } from '../../src/plan-review';
import { awsCall, Identity, identityDifferences } from '../../src/rehearsal/aws';
import { driftReviewProblems, firstPlanProblems, fixtureText, importsForLegacyState, LEGACY_IDENTITY } from '../../src/rehearsal/cutover';

const IMPORTS = ['aws_s3_bucket.storage_artifacts_bucket', 'aws_s3_bucket_server_side_encryption_configuration.storage_artifacts_encryption'];

function plan(changes: { address: string; actions: string[]; importing?: boolean }[]) {
  return reviewPlan(
    checkPlan({
      format_version: '1.2',
      resource_changes: changes.map((c) => {
        const [type, name] = c.address.split('.');
        return { address: c.address, type, name, change: { actions: c.actions, before: {}, after: {}, ...(c.importing ? { importing: { id: 'x' } } : {}) } };
      }),
    }),
  );
}

describe('the first plan after the migration', () => {
  const ok = [
    { address: 'aws_ecs_task_definition.mlflow_task', actions: ['delete', 'create'] },
    { address: 'aws_db_instance.database_instance', actions: ['update'] },
    { address: 'aws_s3_bucket.storage_artifacts_bucket', actions: ['update'], importing: true },
    { address: 'aws_s3_bucket_server_side_encryption_configuration.storage_artifacts_encryption', actions: ['update'], importing: true },
    { address: 'aws_kms_key.encryption_key', actions: ['create'] },
  ];

  test('only the task definition replaced, nothing destroyed, the import definitions imported: no problem', () => {
    expect(firstPlanProblems(plan(ok), IMPORTS)).toEqual([]);
  });

  test('another replacement, a destroy, a missing import and a guard block are each named', () => {
    const bad = plan([
      ...ok.filter((c) => !c.importing),
      { address: 'aws_s3_bucket.storage_artifacts_bucket', actions: ['update'], importing: true },
      { address: 'aws_db_instance.database_instance', actions: ['delete', 'create'] },
      { address: 'aws_security_group.security_alb', actions: ['delete'] },
    ]);
    expect(firstPlanProblems(bad, IMPORTS)).toEqual([
      'replaced: aws_db_instance.database_instance, aws_ecs_task_definition.mlflow_task; expected only aws_ecs_task_definition.mlflow_task (a new revision)',
      'destroys aws_security_group.security_alb; expected none besides the replaced task definition revision',
      'imports aws_s3_bucket.storage_artifacts_bucket; expected aws_s3_bucket.storage_artifacts_bucket, aws_s3_bucket_server_side_encryption_configuration.storage_artifacts_encryption (imports/production.json)',
      expect.stringMatching(/^the plan-review guard blocks it: aws_db_instance.database_instance replaces/),
    ]);
  });
});

test('drift reviews must lead with the port-22 opening', () => {
  const finding = { address: 'aws_security_group.security_tasks', category: 'security-group', severity: 'broadens', high: true, details: ['adds ingress tcp/22 from 0.0.0.0/0 (open to the internet)'], classification: 'reverted' };
  expect(driftReviewProblems({ exitCode: 2, driftSecurity: [finding] }, 'drift')).toEqual([]);
  expect(driftReviewProblems({ exitCode: 0, driftSecurity: [] }, 'plan')).toEqual([
    'plan: the review\'s first drift finding is not the security group opened to 0.0.0.0/0 on port 22 (got null)',
    'plan: exit code 0, expected 2 (changes)',
  ]);
});

describe('identity', () => {
  const before: Identity = {
    vpc: 'vpc-1',
    subnets: { '10.20.0.0/24': 'subnet-1' },
    securityGroups: { 'fraud-scoring-alb-sg': 'sg-1' },
    loadBalancers: { 'fraud-scoring-alb': 'arn:lb' },
    targetGroups: { 'fraud-scoring-mlflow-tg': 'arn:tg' },
    cluster: 'arn:cluster',
    service: 'arn:service',
    serviceTaskDefinition: 'arn:td:1',
    roles: { r: 'AROA1' },
    db: { DbiResourceId: 'db-ABC', DBInstanceArn: 'arn:db' },
    secret: { ARN: 'arn:secret', SecretString: '{"password":"hunter2-secret"}' },
    objects: { 'a/b': '"etag1"' },
  };

  test('the same ids, secret and ETags: nothing lost; a new task definition revision is not identity', () => {
    expect(identityDifferences(before, { ...before, serviceTaskDefinition: 'arn:td:2' })).toEqual([]);
  });

  test('each lost identity is named; the secret is compared but never printed', () => {
    const after: Identity = { ...before, securityGroups: { 'fraud-scoring-alb-sg': 'sg-2' }, roles: { r: 'AROA2' }, db: { ...before.db, DbiResourceId: 'db-NEW' }, secret: { ...before.secret, SecretString: '{"password":"other-secret"}' }, objects: {} };
    const diffs = identityDifferences(before, after);
    expect(diffs).toEqual([
      'security group fraud-scoring-alb-sg: "sg-1" before, "sg-2" after',
      'IAM role id of r: "AROA1" before, "AROA2" after',
      'DB DbiResourceId: "db-ABC" before, "db-NEW" after',
      'secret string: differs (values not shown)',
      'object ETag of a/b: "\\"etag1\\"" before, undefined after',
    ]);
    expect(diffs.join('\n')).not.toMatch(/hunter2|other-secret/);
  });
});

test('the identity spec names every kind of object the issue lists', () => {
  expect(Object.keys(LEGACY_IDENTITY).sort()).toEqual(['cluster', 'dbInstance', 'loadBalancers', 'roles', 'secret', 'securityGroups', 'service', 'subnetCidrs', 'targetGroups', 'vpcName']);
});

test('fixtures are terraform\'s own bytes, newline-terminated; anything but JSON is refused', () => {
  const raw = '{"format_version":"1.2","resource_changes":[]}';
  expect(fixtureText(raw)).toBe(`${raw}\n`);
  expect(fixtureText(`${raw}\n`)).toBe(`${raw}\n`);
  expect(() => fixtureText('Error: no plan')).toThrow(SyntaxError);
});

test('the out-of-band script talks to a loopback emulator only, never to AWS', async () => {
  await expect(awsCall('identity', 'https://ec2.us-east-1.amazonaws.com', {})).rejects.toThrow(/--endpoint https:\/\/ec2.us-east-1.amazonaws.com: only a loopback emulator \(http:\/\/127.0.0.1:<port>\) is allowed/);
});

test('import ids that name an object of the team\'s state are written against the applied legacy state (the runbook\'s edit)', () => {
  const state = (rtb: string, vpc: string) => ({
    resources: [
      { mode: 'managed', type: 'aws_route_table', name: 'private', instances: [{ attributes: { id: rtb } }] },
      { mode: 'managed', type: 'aws_vpc', name: 'main', instances: [{ attributes: { id: vpc } }] },
      { mode: 'managed', type: 'aws_subnet', name: 'private', instances: [{ index_key: 0, attributes: { id: 'subnet-1' } }] },
    ],
  });
  const stack = {
    import: [
      { to: 'aws_s3_bucket.storage_artifacts_bucket', id: 'fraud-scoring-models-123456789012' },
      { to: 'aws_route.network_private_routes_us_east_1a_nat', id: 'rtb-0prv0prv0prv0prv0_0.0.0.0/0' },
    ],
  };
  const { stack: out, rewritten } = importsForLegacyState(stack, state('rtb-0prv0prv0prv0prv0', 'vpc-team'), state('rtb-abc123', 'vpc-emulated'));
  expect(out.import).toEqual([
    { to: 'aws_s3_bucket.storage_artifacts_bucket', id: 'fraud-scoring-models-123456789012' },
    { to: 'aws_route.network_private_routes_us_east_1a_nat', id: 'rtb-abc123_0.0.0.0/0' },
  ]);
  expect(rewritten).toEqual(['aws_route.network_private_routes_us_east_1a_nat: rtb-0prv0prv0prv0prv0 -> rtb-abc123']);
  expect(stack.import[1].id).toBe('rtb-0prv0prv0prv0prv0_0.0.0.0/0'); // the input is not changed
});
