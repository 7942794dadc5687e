import { defineRule, fail, pass, unknown } from '../../types';
import { blocks, firstBlock, isExpression } from '../../values';

export const S3BucketVersioned = defineRule({
  id: 'MLF-S3-3',
  name: 'S3BucketVersioned',
  severity: 'medium',
  controls: ['S3-VERSIONING'],
  scanners: { checkov: ['CKV_AWS_21'], trivy: ['AVD-AWS-0090'], kics: ['568a4d22-3517-44a6-a7ad-6a7eed88722c'], terrascan: ['AC_AWS_0214'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'An aws_s3_bucket_versioning with status Enabled is attached to the bucket.',
  explanation: 'Versioning keeps overwritten and deleted artifacts recoverable; pair it with noncurrent-version expiration in the lifecycle.',
  evaluate(bucket, stack) {
    const statuses = [
      ...blocks(bucket.config.versioning).map((v) => (v.enabled === true ? 'Enabled' : v.enabled)),
      ...stack.bucketResources(bucket, 'aws_s3_bucket_versioning').map((r) => firstBlock(r.config.versioning_configuration)?.status),
    ];
    if (statuses.includes('Enabled')) return pass();
    if (statuses.some(isExpression)) return unknown(`versioning status is an expression`);
    return fail(statuses.length === 0 ? 'no aws_s3_bucket_versioning for the bucket' : `versioning status is ${statuses.join(', ')}`);
  },
});
