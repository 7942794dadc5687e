import * as fs from 'node:fs';
import * as path from 'node:path';
import { referencesIn, skipUnemulated } from '../../src/rehearsal/skip';

const root = path.resolve(__dirname, '../..');
const synthesized = (name: string) => JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out/stacks', name, 'cdk.tf.json'), 'utf8'));

test('referencesIn finds expression references and depends_on among known addresses only', () => {
  const known = new Set(['aws_vpc.main', 'aws_subnet.a', 'data.aws_iam_policy_document.p']);
  expect(referencesIn({ vpc_id: '${aws_vpc.main.id}', policy: '${data.aws_iam_policy_document.p.json}', depends_on: ['aws_subnet.a'], other: '${aws_lb.x.arn}' }, known)).toEqual([
    'aws_subnet.a',
    'aws_vpc.main',
    'data.aws_iam_policy_document.p',
  ]);
});

test('skips unemulated types and the transitive closure of what depends on them, with the reason', () => {
  const stack = {
    resource: {
      aws_apprunner_service: { svc: { service_name: 'x' } },
      aws_route53_record: { cname: { records: ['${aws_apprunner_service.svc.service_url}'] }, other: { records: ['1.2.3.4'] } },
      aws_cloudwatch_metric_alarm: { a: { depends_on: ['aws_route53_record.cname'] } },
      aws_vpc: { main: { cidr_block: '10.0.0.0/16' } },
    },
    output: { url: { value: '${aws_apprunner_service.svc.service_url}' }, vpc: { value: '${aws_vpc.main.id}' } },
    import: [{ to: 'aws_apprunner_service.svc', id: 'arn' }],
  };
  const plan = skipUnemulated(stack);
  expect(plan.skipped).toEqual([
    { address: 'aws_apprunner_service.svc', because: 'App Runner is not emulated by moto 5.2.1' },
    { address: 'aws_cloudwatch_metric_alarm.a', because: 'depends on aws_route53_record.cname' },
    { address: 'aws_route53_record.cname', because: 'depends on aws_apprunner_service.svc' },
  ]);
  expect(plan.outputs).toEqual(['url']);
  expect(Object.keys(plan.stack.resource).sort()).toEqual(['aws_route53_record', 'aws_vpc']);
  expect(Object.keys(plan.stack.resource.aws_route53_record)).toEqual(['other']);
  expect(plan.stack.import).toEqual([]);
  expect(stack.resource.aws_apprunner_service.svc).toBeDefined(); // input untouched
});

test('the App Runner stack keeps its network, database and buckets; only App Runner and its dependants go', () => {
  const stack = synthesized('mlflow-apprunner-staging');
  const plan = skipUnemulated(stack);
  const skipped = plan.skipped.map((s) => s.address);
  for (const type of Object.keys(stack.resource).filter((t) => t.startsWith('aws_apprunner_'))) {
    for (const name of Object.keys(stack.resource[type])) expect(skipped).toContain(`${type}.${name}`);
  }
  for (const s of plan.skipped.filter((x) => !x.address.startsWith('aws_apprunner_'))) expect(s.because).toMatch(/^depends on /);
  for (const kept of ['aws_vpc', 'aws_rds_cluster', 'aws_s3_bucket', 'aws_secretsmanager_secret']) expect(Object.keys(plan.stack.resource[kept] ?? {}).length).toBeGreaterThan(0);
  expect(JSON.stringify(plan.stack)).not.toMatch(/aws_apprunner_/);
});

test('the ECS stacks have nothing to skip', () => {
  for (const name of ['mlflow-staging', 'mlflow-production']) expect(skipUnemulated(synthesized(name)).skipped).toEqual([]);
});
