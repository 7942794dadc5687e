import { defineRule, fail, pass } from '../../types';
import { blocks, firstBlock } from '../../values';

/** A filter that selects every object: absent, `{}` or an empty prefix. */
function selectsAll(filter: unknown): boolean {
  const f = firstBlock(filter);
  if (!f) return true;
  return Object.entries(f).every(([, v]) => v === '' || v === undefined || v === null || (Array.isArray(v) && v.length === 0));
}

export const S3BucketLifecycle = defineRule({
  id: 'MLF-S3-10',
  name: 'S3BucketLifecycle',
  severity: 'low',
  controls: ['S3-LIFECYCLE'],
  scanners: { checkov: ['CKV2_AWS_61', 'CKV_AWS_300'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'A lifecycle configuration exists with an enabled, bucket-wide rule that aborts incomplete multipart uploads.',
  explanation: 'Failed artifact uploads leave invisible, billed parts behind; CKV_AWS_300 requires the abort rule to have an empty filter (all objects).',
  evaluate(bucket, stack) {
    const configs = stack.bucketResources(bucket, 'aws_s3_bucket_lifecycle_configuration');
    if (configs.length === 0) return fail('no aws_s3_bucket_lifecycle_configuration for the bucket');
    const rules = configs.flatMap((c) => blocks(c.config.rule));
    const ok = rules.some((r) => r.status === 'Enabled' && blocks(r.abort_incomplete_multipart_upload).length > 0 && selectsAll(r.filter) && !r.prefix);
    return ok ? pass() : fail('no enabled rule with abort_incomplete_multipart_upload and an empty filter');
  },
});
