import { defineRule, fail, pass, unknown } from '../../types';
import { isAllow, parsePolicy, strings } from '../../values';

export const IamTrustServicePrincipals = defineRule({
  id: 'MLF-IAM-2',
  name: 'IamTrustServicePrincipals',
  severity: 'medium',
  controls: ['IAM-TRUST-NO-ACCOUNT-ROOT'],
  scanners: { checkov: ['CKV_AWS_61'], kics: ['09c35abf-5852-4622-ac7a-b987b331232e'] },
  resourceTypes: ['aws_iam_role'],
  info: 'The trust policy names service principals, not an account id or :root.',
  explanation: 'Trusting an account lets every principal the account allows assume the role; the runtime roles need only their AWS service (with aws:SourceAccount).',
  evaluate(role) {
    const parsed = parsePolicy(role.config.assume_role_policy, 'assume_role_policy');
    if (parsed.kind === 'absent') return fail('assume_role_policy is not set');
    if (parsed.kind === 'unknown') return unknown(parsed.detail);
    const accounts = parsed.statements
      .filter(isAllow)
      .flatMap((s) => (s.Principal && typeof s.Principal === 'object' ? strings((s.Principal as Record<string, unknown>).AWS) : []))
      .filter((p) => /^\d{12}$/.test(p) || /:root$/.test(p));
    return accounts.length > 0 ? fail(`trusts account principal(s) ${accounts.join(', ')}`) : pass();
  },
});
