'use strict';
/*
 * bench/migration/generate.js: a deterministic legacy state of N resource instances and the
 * synthesized-stack JSON it migrates into, for bench/migration/run and the migration tests.
 *
 * Two big count blocks, the shapes the planner must handle linearly:
 *  - aws_cloudwatch_log_group.logs[0..a-1] -> a individually named aws_cloudwatch_log_group.lg_NNNNN
 *    (paired by identity: the log group name);
 *  - aws_iam_role_policy.policies[0..b-1] -> aws_iam_role_policy.policy (count = b, the name is an
 *    expression: paired by position, the role literal agreeing).
 * Attribute sets are those the AWS provider 5.x writes (taken from the shipped legacy state), so
 * `terraform plan -refresh=false` of the stack against the migrated state runs offline and plans
 * no replacement.
 */
const fs = require('fs');
const path = require('path');

const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';
const LINEAGE = '0b5e9c1a-bench-4000-8000-000000010000';
const ROLE = 'bench-service-role';
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: ['s3:GetObject'], Effect: 'Allow', Resource: ['arn:aws:s3:::bench-artifacts/*'] }] });

const pad = (i) => String(i).padStart(5, '0');
const logName = (i) => `/bench/service-${pad(i)}`;
const policyName = (i) => `bench-policy-${pad(i)}`;

function logGroup(i) {
  return {
    index_key: i,
    schema_version: 0,
    attributes: {
      id: logName(i),
      arn: `arn:aws:logs:us-east-1:123456789012:log-group:${logName(i)}`,
      name: logName(i),
      name_prefix: '',
      kms_key_id: '',
      log_group_class: 'STANDARD',
      retention_in_days: 30,
      skip_destroy: false,
      tags: {},
      tags_all: {},
    },
    sensitive_attributes: [],
  };
}

function rolePolicy(i) {
  return {
    index_key: i,
    schema_version: 0,
    attributes: { id: `${ROLE}:${policyName(i)}`, role: ROLE, name: policyName(i), name_prefix: '', policy: POLICY },
    sensitive_attributes: [],
  };
}

/**
 * Writes `legacy.tfstate` and `stack.tf.json` into `dir`; `instances` split into the two blocks
 * (`logShare` of them log groups). Returns the file paths and counts.
 */
function generate(dir, instances = 10000, logShare = 0.5) {
  const a = Math.round(instances * logShare);
  const b = instances - a;
  const state = {
    version: 4,
    terraform_version: '1.11.4',
    serial: 7,
    lineage: LINEAGE,
    outputs: {},
    resources: [
      { mode: 'managed', type: 'aws_cloudwatch_log_group', name: 'logs', provider: AWS, instances: Array.from({ length: a }, (_, i) => logGroup(i)) },
      { mode: 'managed', type: 'aws_iam_role_policy', name: 'policies', provider: AWS, instances: Array.from({ length: b }, (_, i) => rolePolicy(i)) },
    ].filter((r) => r.instances.length > 0),
    check_results: null,
  };
  const logGroups = {};
  for (let i = 0; i < a; i++) logGroups[`lg_${pad(i)}`] = { name: logName(i), retention_in_days: 30 };
  const stack = {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.0, < 6.0' } } },
    provider: { aws: [{ region: 'us-east-1' }] },
    resource: {
      ...(a > 0 ? { aws_cloudwatch_log_group: logGroups } : {}),
      ...(b > 0 ? { aws_iam_role_policy: { policy: { count: b, name: '${format("bench-policy-%05d", count.index)}', role: ROLE, policy: POLICY } } } : {}),
    },
  };
  fs.mkdirSync(dir, { recursive: true });
  const stateFile = path.join(dir, 'legacy.tfstate');
  const stackFile = path.join(dir, 'stack.tf.json');
  fs.writeFileSync(stateFile, JSON.stringify(state));
  fs.writeFileSync(stackFile, JSON.stringify(stack));
  return { stateFile, stackFile, logGroups: a, policies: b };
}

module.exports = { generate, LINEAGE };
