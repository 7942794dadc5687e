import { defineRule, fail, pass, unknown } from '../../types';
import { hasCondition, isAllow, isPublicPrincipal, parsePolicy, strings } from '../../values';

export const S3BucketPolicyNotPublic = defineRule({
  id: 'MLF-S3-8',
  name: 'S3BucketPolicyNotPublic',
  severity: 'high',
  controls: ['S3-POLICY-NOT-PUBLIC'],
  scanners: {
    checkov: ['CKV_AWS_70', 'CKV_AWS_93'],
    kics: ['7af43613-6bb9-4a0e-8c4d-1314b799425e', '1df37f4b-7197-45ce-83f8-9994d2fcf885', '66c6f96f-2d9e-417e-a998-9058aeeecd44', 'd24c0755-c028-44b1-b503-8e719c898832', 'ffdf4b37-7703-4dfe-a682-9d2e99bc6c09', 'a4966c4f-9141-48b8-a564-ffe9959945bc', '64a222aa-7793-4e40-915f-4b302c76e4d4'],
  },
  resourceTypes: ['aws_s3_bucket_policy'],
  info: 'The bucket policy allows no principal "*" without a restricting condition and does not lock everyone out.',
  explanation: 'Grant log delivery to service principals (logging.s3.amazonaws.com, the ELB account or logdelivery.elasticloadbalancing.amazonaws.com), never to "*".',
  evaluate(policy) {
    const parsed = parsePolicy(policy.config.policy, 'policy');
    if (parsed.kind === 'absent') return fail('policy is empty');
    if (parsed.kind === 'unknown') return unknown(parsed.detail);
    const problems: string[] = [];
    for (const s of parsed.statements) {
      if (isAllow(s) && isPublicPrincipal(s.Principal) && !hasCondition(s)) problems.push(`statement ${s.Sid ?? '(no Sid)'} allows principal "*" without a condition`);
      if (s.Effect === 'Deny' && isPublicPrincipal(s.Principal) && strings(s.Action).some((a) => a === '*' || a === 's3:*') && !hasCondition(s)) problems.push(`statement ${s.Sid ?? '(no Sid)'} denies everything to everyone (lockout)`);
    }
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
