import { defineRule, fail, notApplicable, pass, unknown } from '../../types';
import { hasCondition, isAllow, isPublicPrincipal, parsePolicy, strings } from '../../values';

export const SnsTopicPolicyNotPublic = defineRule({
  id: 'MLF-SNS-2',
  name: 'SnsTopicPolicyNotPublic',
  severity: 'high',
  controls: ['SNS-POLICY'],
  scanners: {
    checkov: ['CKV_AWS_169', 'CKV_AWS_385'],
    kics: ['b26d2b7e-60f6-413d-a3a1-a57db24aa2b3', '5ea624e4-c8b1-4bb3-87a4-4235a776adcc'],
    terrascan: ['AC_AWS_0385'],
  },
  resourceTypes: ['aws_sns_topic', 'aws_sns_topic_policy'],
  info: 'The topic policy has no Allow to "*", no Allow with NotAction, and conditions on IAM-principal grants.',
  explanation: 'Grant cloudwatch.amazonaws.com (Service) with aws:SourceArn/aws:SourceAccount; never the world.',
  evaluate(resource) {
    const parsed = parsePolicy(resource.config.policy, 'policy');
    if (parsed.kind === 'absent') return notApplicable('no topic policy');
    if (parsed.kind === 'unknown') return unknown(parsed.detail);
    const problems: string[] = [];
    for (const s of parsed.statements.filter(isAllow)) {
      const name = s.Sid ?? 'a statement';
      if (isPublicPrincipal(s.Principal) && !hasCondition(s)) problems.push(`${name} allows "*"`);
      if (s.NotAction !== undefined) problems.push(`${name} allows with NotAction`);
      const aws = s.Principal && typeof s.Principal === 'object' ? strings((s.Principal as Record<string, unknown>).AWS) : [];
      if (aws.some((p) => p.startsWith('arn:aws:iam::')) && !hasCondition(s)) problems.push(`${name} grants an IAM principal without a condition`);
    }
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
