import { defineRule, fail, pass, unknown } from '../../types';
import { hasCondition, isAllow, isPublicPrincipal, parsePolicy } from '../../values';

export const EcrRepositoryPolicyNotPublic = defineRule({
  id: 'MLF-ECR-6',
  name: 'EcrRepositoryPolicyNotPublic',
  severity: 'high',
  controls: ['ECR-POLICY-NOT-PUBLIC'],
  scanners: { checkov: ['CKV_AWS_32'], trivy: ['AVD-AWS-0032'], kics: ['e86e26fc-489e-44f0-9bcd-97305e4ba69a'], terrascan: ['AC_AWS_0084'] },
  resourceTypes: ['aws_ecr_repository_policy'],
  info: 'The repository policy allows no principal "*" without a restricting condition.',
  explanation: 'A public pull exposes the image, including model-serving code and baked-in configuration.',
  evaluate(policy) {
    const parsed = parsePolicy(policy.config.policy, 'policy');
    if (parsed.kind === 'absent') return fail('policy is empty');
    if (parsed.kind === 'unknown') return unknown(parsed.detail);
    const bad = parsed.statements.filter((s) => isAllow(s) && isPublicPrincipal(s.Principal) && !hasCondition(s));
    return bad.length > 0 ? fail(`statement(s) ${bad.map((s) => s.Sid ?? '(no Sid)').join(', ')} allow "*"`) : pass();
  },
});
