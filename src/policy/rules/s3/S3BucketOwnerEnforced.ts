import { defineRule, fail } from '../../types';
import { firstBlock, requireOneOf } from '../../values';

export const S3BucketOwnerEnforced = defineRule({
  id: 'MLF-S3-7',
  name: 'S3BucketOwnerEnforced',
  severity: 'medium',
  controls: ['S3-OWNERSHIP'],
  scanners: { checkov: ['CKV2_AWS_65'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'Object ownership is BucketOwnerEnforced (ACLs disabled).',
  explanation: 'With ACLs disabled, access is decided by policies alone; grant log delivery through the bucket policy, not ACLs.',
  evaluate(bucket, stack) {
    const controls = stack.bucketResources(bucket, 'aws_s3_bucket_ownership_controls');
    if (controls.length === 0) return fail('no aws_s3_bucket_ownership_controls for the bucket');
    return requireOneOf(firstBlock(controls[0].config.rule)?.object_ownership, ['BucketOwnerEnforced'], 'rule.object_ownership');
  },
});
