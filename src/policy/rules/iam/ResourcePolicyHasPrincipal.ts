import { defineRule, fail, notApplicable, pass, unknown } from '../../types';
import { isAllow, parsePolicy } from '../../values';

export const ResourcePolicyHasPrincipal = defineRule({
  id: 'MLF-IAM-7',
  name: 'ResourcePolicyHasPrincipal',
  severity: 'medium',
  controls: ['RESOURCE-POLICY-PRINCIPAL'],
  scanners: { kics: ['bbe3dd3d-fea9-4b68-a785-cfabe2bbbc54'], terrascan: ['AC_AWS_0481'] },
  resourceTypes: ['aws_s3_bucket_policy', 'aws_kms_key', 'aws_kms_key_policy', 'aws_sns_topic', 'aws_sns_topic_policy', 'aws_ecr_repository_policy', 'aws_secretsmanager_secret_policy', 'aws_secretsmanager_secret'],
  info: 'Every Allow statement of a resource-based policy names a Principal.',
  explanation: 'A resource policy statement without Principal is invalid or, worse, read by tools as applying to everyone.',
  evaluate(resource) {
    const parsed = parsePolicy(resource.config.policy, 'policy');
    if (parsed.kind === 'absent') return notApplicable('no resource policy');
    if (parsed.kind === 'unknown') return unknown(parsed.detail);
    const bad = parsed.statements.filter((s) => isAllow(s) && s.Principal === undefined && s.NotPrincipal === undefined);
    return bad.length > 0 ? fail(`${bad.length} Allow statement(s) without Principal`) : pass();
  },
});
