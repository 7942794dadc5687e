/**
 * First-apply ordering: a resource that AWS checks against another one at creation must depend on
 * it, or Terraform may create both in parallel and the first apply fails (and succeeds on retry).
 *
 * - ELB checks the log bucket's policy when access logging is turned on ("Access Denied for
 *   bucket ... Please check S3 bucket permission"): every ALB with access logs depends on the
 *   policy of its target bucket.
 * - S3 server access logging checks that the target bucket admits the logging service: every
 *   `aws_s3_bucket_logging` depends on the policy of its target bucket.
 * - An API Gateway API mapping needs its stage to exist: the mapping references the stage
 *   resource (an implicit dependency), never the literal `$default`.
 */
import { environments } from '../../src/config/environments';
import { Json, ref, resourcesOfType, synthStack } from '../helpers/synth';

const stacks = environments.map((config) => [config.stackName, synthStack(config)] as const);

/** The address of the `aws_s3_bucket_policy` whose `bucket` is `bucketExpression`. */
function policyOfBucket(stack: Json, bucketExpression: string): string | undefined {
  const found = Object.entries(resourcesOfType(stack, 'aws_s3_bucket_policy')).filter(([, p]) => p.bucket === bucketExpression);
  return found.length === 1 ? `aws_s3_bucket_policy.${found[0][0]}` : undefined;
}

describe.each(stacks)('%s', (_name, stack) => {
  test('every ALB with access logs depends on the policy of its log bucket', () => {
    const albs = Object.entries(resourcesOfType(stack, 'aws_lb')).filter(([, lb]) => lb.access_logs?.enabled);
    for (const [name, lb] of albs) {
      const policy = policyOfBucket(stack, lb.access_logs.bucket);
      expect({ alb: name, policy }).toEqual({ alb: name, policy: expect.stringMatching(/^aws_s3_bucket_policy\./) });
      expect({ alb: name, dependsOn: lb.depends_on ?? [] }).toEqual({ alb: name, dependsOn: expect.arrayContaining([policy]) });
    }
  });

  test('every S3 server access logging configuration depends on the policy of its target bucket', () => {
    const loggings = Object.entries(resourcesOfType(stack, 'aws_s3_bucket_logging'));
    expect(loggings.length).toBeGreaterThan(0);
    for (const [name, logging] of loggings) {
      const policy = policyOfBucket(stack, logging.target_bucket);
      expect({ logging: name, policy }).toEqual({ logging: name, policy: expect.stringMatching(/^aws_s3_bucket_policy\./) });
      expect({ logging: name, dependsOn: logging.depends_on ?? [] }).toEqual({ logging: name, dependsOn: expect.arrayContaining([policy]) });
    }
  });

  test('every API mapping references a stage resource of the same API', () => {
    for (const [name, mapping] of Object.entries(resourcesOfType(stack, 'aws_apigatewayv2_api_mapping'))) {
      const stages = Object.entries(resourcesOfType(stack, 'aws_apigatewayv2_stage')).filter(([, s]) => s.api_id === mapping.api_id);
      expect(stages.map(([stage]) => stage)).toHaveLength(1);
      expect({ mapping: name, stage: mapping.stage }).toEqual({ mapping: name, stage: ref(`aws_apigatewayv2_stage.${stages[0][0]}`, 'name') });
    }
  });
});

test('the shipped stacks exercise every case: ALBs with access logs in both ECS stacks, an API mapping in staging', () => {
  const byName = Object.fromEntries(stacks);
  for (const name of ['mlflow-staging', 'mlflow-production']) {
    expect(Object.values(resourcesOfType(byName[name], 'aws_lb')).filter((lb: Json) => lb.access_logs?.enabled).length).toBeGreaterThan(0);
  }
  expect(Object.keys(resourcesOfType(byName['mlflow-staging'], 'aws_apigatewayv2_api_mapping'))).toHaveLength(1);
});
