import { defineRule, fail, pass } from '../../types';
import { blocks } from '../../values';

export const S3BucketAccessLogged = defineRule({
  id: 'MLF-S3-6',
  name: 'S3BucketAccessLogged',
  severity: 'low',
  controls: ['S3-ACCESS-LOGGING'],
  scanners: { checkov: ['CKV_AWS_18'], trivy: ['AVD-AWS-0089'], kics: ['f861041c-8c9f-4156-acfc-5e6e524f5884'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'Server access logging is configured for the bucket (aws_s3_bucket_logging).',
  explanation: 'Access logs record who read or changed artifacts. The log-target bucket itself is the exception: logging it into itself loops; suppress it there with that reason.',
  evaluate(bucket, stack) {
    const logging = [...blocks(bucket.config.logging), ...stack.bucketResources(bucket, 'aws_s3_bucket_logging').map((r) => r.config)];
    if (logging.length === 0) return fail('no aws_s3_bucket_logging for the bucket');
    return logging.every((l) => typeof l.target_bucket === 'string' && l.target_bucket !== '') ? pass() : fail('logging without target_bucket');
  },
});
