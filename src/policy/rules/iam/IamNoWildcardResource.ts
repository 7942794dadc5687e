import { defineRule } from '../../types';
import { actionMatches } from '../../values';
import { checkAllowStatements, IDENTITY_POLICY_TYPES, sid } from './util';

/** Actions that cannot be scoped to a resource, so Resource "*" is their only form (IAM service authorization reference). */
export const UNSCOPABLE_ACTIONS = [
  'ecr:GetAuthorizationToken',
  'sts:GetCallerIdentity',
  'logs:DescribeLogGroups',
  'cloudwatch:PutMetricData',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];

export const IamNoWildcardResource = defineRule({
  id: 'MLF-IAM-4',
  name: 'IamNoWildcardResource',
  severity: 'high',
  controls: ['IAM-LEAST-PRIVILEGE'],
  scanners: { checkov: ['CKV_AWS_355', 'CKV_AWS_287', 'CKV_AWS_288', 'CKV_AWS_289', 'CKV_AWS_290'], trivy: ['AVD-AWS-0346', 'AVD-AWS-0057'] },
  resourceTypes: IDENTITY_POLICY_TYPES,
  info: 'Allow statements on Resource "*" contain only actions that cannot be scoped (e.g. ecr:GetAuthorizationToken).',
  explanation: 'Scope S3, logs, Secrets Manager and KMS actions to ARNs. ecr:GetAuthorizationToken has no resource type, so "*" is its only form (tfsec AVD-AWS-0057 still flags it).',
  evaluate(resource) {
    return checkAllowStatements(resource, (s, actions, resources) => {
      if (!resources.includes('*')) return undefined;
      const bad = actions.filter((a) => a.includes('*') || !UNSCOPABLE_ACTIONS.some((u) => actionMatches(u, a)));
      return bad.length > 0 ? `${sid(s)} allows ${bad.join(', ')} on "*"` : undefined;
    });
  },
});
