import { defineRule, fail, pass, unknown } from '../../types';
import { isAllow, isPublicPrincipal, parsePolicy } from '../../values';

export const IamTrustNotPublic = defineRule({
  id: 'MLF-IAM-1',
  name: 'IamTrustNotPublic',
  severity: 'critical',
  controls: ['IAM-TRUST-NOT-PUBLIC'],
  scanners: { checkov: ['CKV_AWS_60'], kics: ['12b7e704-37f0-4d1e-911a-44bf60c48c21', 'bcdcbdc6-a350-4855-ae7c-d1e6436f7c97'] },
  resourceTypes: ['aws_iam_role'],
  info: 'The trust policy lets no principal "*" assume the role.',
  explanation: 'A wildcard trust lets any AWS account assume the role.',
  evaluate(role) {
    const parsed = parsePolicy(role.config.assume_role_policy, 'assume_role_policy');
    if (parsed.kind === 'absent') return fail('assume_role_policy is not set');
    if (parsed.kind === 'unknown') return unknown(parsed.detail);
    return parsed.statements.some((s) => isAllow(s) && isPublicPrincipal(s.Principal)) ? fail('a statement allows principal "*"') : pass();
  },
});
