import { combine, defineRule, fail } from '../../types';
import { requireTrue } from '../../values';

const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export const S3BucketPublicAccessBlocked = defineRule({
  id: 'MLF-S3-4',
  name: 'S3BucketPublicAccessBlocked',
  severity: 'high',
  controls: ['S3-PAB'],
  scanners: {
    checkov: ['CKV2_AWS_6', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'],
    trivy: ['AVD-AWS-0086', 'AVD-AWS-0087', 'AVD-AWS-0091', 'AVD-AWS-0093', 'AVD-AWS-0094'],
    kics: ['d0cc8694-fcad-43ff-ac86-32331d7e867f', '1a4bc881-9f69-4d44-8c9a-d37d08f54c50', '4fa66806-0dd9-4f8d-9480-3174d39c7c91', '1ec253ab-c220-4d63-b2de-5b40e0af9293'],
  },
  resourceTypes: ['aws_s3_bucket'],
  info: 'A public access block with all four flags true is attached to the bucket.',
  explanation: 'The bucket-level block stops a later ACL or policy from making objects public, whatever the account setting is.',
  evaluate(bucket, stack) {
    const blocks = stack.bucketResources(bucket, 'aws_s3_bucket_public_access_block');
    if (blocks.length === 0) return fail('no aws_s3_bucket_public_access_block for the bucket');
    return combine(blocks.flatMap((b) => FLAGS.map((f) => requireTrue(b.config[f], f))));
  },
});
