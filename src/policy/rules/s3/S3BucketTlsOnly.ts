import { defineRule, fail, pass, unknown } from '../../types';
import { actionMatches, parsePolicy, strings } from '../../values';

export const S3BucketTlsOnly = defineRule({
  id: 'MLF-S3-5',
  name: 'S3BucketTlsOnly',
  severity: 'medium',
  controls: ['S3-TLS-ONLY'],
  scanners: { kics: ['4bc4dd4c-7d8d-405e-a0fb-57fa4c31b4d9'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'The bucket policy denies s3:* when aws:SecureTransport is false.',
  explanation: 'Without the deny, a client can read or write objects over plain HTTP. Add a DenyInsecureTransport statement to every bucket policy (literal JSON, so scanners can read it).',
  evaluate(bucket, stack) {
    const policies = [bucket.config.policy, ...stack.bucketResources(bucket, 'aws_s3_bucket_policy').map((r) => r.config.policy)].filter((p) => p !== undefined);
    if (policies.length === 0) return fail('the bucket has no bucket policy');
    const parsed = policies.map((p) => parsePolicy(p, 'policy'));
    const statements = parsed.flatMap((p) => (p.kind === 'parsed' ? p.statements : []));
    const ok = statements.some((s) => {
      const secure = (s.Condition as Record<string, Record<string, unknown>> | undefined)?.Bool?.['aws:SecureTransport'];
      const coversAll = strings(s.Action).some((a) => actionMatches(a, 's3:PutObject') && (a === 's3:*' || a === '*'));
      return coversAll && ((s.Effect === 'Deny' && String(secure) === 'false') || (s.Effect === 'Allow' && String(secure) === 'true'));
    });
    if (ok) return pass();
    const unreadable = parsed.find((p) => p.kind === 'unknown');
    if (unreadable && unreadable.kind === 'unknown') return unknown(unreadable.detail);
    return fail('no statement denies s3:* with aws:SecureTransport = false');
  },
});
