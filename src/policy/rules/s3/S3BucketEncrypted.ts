import { defineRule, fail, pass, unknown } from '../../types';
import { blocks, firstBlock, isExpression } from '../../values';

/** Default encryption is configured (SSE-S3 or SSE-KMS), inline or as its own resource. */
export const S3BucketEncrypted = defineRule({
  id: 'MLF-S3-1',
  name: 'S3BucketEncrypted',
  severity: 'high',
  controls: ['S3-ENCRYPTION'],
  scanners: { checkov: ['CKV_AWS_19'], trivy: ['AVD-AWS-0088'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'The bucket declares default server-side encryption.',
  explanation:
    'S3 encrypts new objects with SSE-S3 by default, but scanners and auditors read the configuration: declare an aws_s3_bucket_server_side_encryption_configuration (aws:kms with the stack key, or AES256 where a log-delivery service requires it).',
  evaluate(bucket, stack) {
    const configs = [
      ...blocks(bucket.config.server_side_encryption_configuration),
      ...stack.bucketResources(bucket, 'aws_s3_bucket_server_side_encryption_configuration').map((r) => r.config),
    ];
    const algorithms = configs.flatMap((c) => blocks(c.rule)).map((r) => firstBlock(r.apply_server_side_encryption_by_default)?.sse_algorithm);
    if (algorithms.length === 0) return fail('no server-side encryption configuration');
    if (algorithms.some(isExpression)) return unknown(`sse_algorithm is an expression: ${algorithms.join(', ')}`);
    const bad = algorithms.filter((a) => a !== 'aws:kms' && a !== 'AES256' && a !== 'aws:kms:dsse');
    return bad.length > 0 ? fail(`unsupported sse_algorithm ${bad.join(', ')}`) : pass();
  },
});
