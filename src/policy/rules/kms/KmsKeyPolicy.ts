import { defineRule, fail, pass, unknown } from '../../types';
import { hasCondition, isAllow, isPublicPrincipal, parsePolicy, strings } from '../../values';

export const KmsKeyPolicy = defineRule({
  id: 'MLF-KMS-3',
  name: 'KmsKeyPolicy',
  severity: 'high',
  controls: ['KMS-POLICY'],
  scanners: {
    checkov: ['CKV2_AWS_64', 'CKV_AWS_33'],
    kics: ['7ebc9038-0bde-479a-acc4-6ed7b6758899'],
    terrascan: ['AC_AWS_0482', 'AC_AWS_0162', 'AC_AWS_0481'],
  },
  resourceTypes: ['aws_kms_key'],
  info: 'The key has an explicit policy; no statement grants "kms:*"/"*" (not even to the account root), no Allow to "*" without a condition, every statement has a Principal.',
  explanation: 'The AWS default root statement (kms:* to the account, no condition) fails KICS and Terrascan: enumerate the administrative actions and grant services through kms:ViaService / encryption-context conditions.',
  evaluate(key, stack) {
    const external = stack.referencing(key, ['aws_kms_key_policy'], 'key_id').map((p) => p.config.policy);
    const parsed = parsePolicy(key.config.policy ?? external[0], 'policy');
    if (parsed.kind === 'absent') return fail('the key has no explicit policy (the AWS default grants kms:* to the account root)');
    if (parsed.kind === 'unknown') return unknown(parsed.detail);
    const problems: string[] = [];
    parsed.statements.forEach((s, i) => {
      const name = s.Sid ?? `statement ${i}`;
      if (s.Principal === undefined && s.NotPrincipal === undefined) problems.push(`${name} has no Principal`);
      if (isAllow(s) && strings(s.Action).some((a) => a === '*' || a.toLowerCase() === 'kms:*')) problems.push(`${name} allows ${strings(s.Action).join(', ')}`);
      if (isAllow(s) && isPublicPrincipal(s.Principal) && !hasCondition(s)) problems.push(`${name} allows principal "*" without a condition`);
    });
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
