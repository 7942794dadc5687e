import { defineRule, fail, pass } from '../../types';
import { blocks } from '../../values';

export const S3BucketNoWebsite = defineRule({
  id: 'MLF-S3-14',
  name: 'S3BucketNoWebsite',
  severity: 'high',
  controls: ['S3-NO-WEBSITE'],
  scanners: { kics: ['42bb6b7f-6d54-4428-b707-666f669d94fb'], terrascan: ['AC_AWS_0208'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'The bucket has no static website hosting.',
  explanation: 'Website endpoints are HTTP-only and public by design; MLflow serves artifacts through its API.',
  evaluate(bucket, stack) {
    const site = blocks(bucket.config.website).length > 0 || stack.bucketResources(bucket, 'aws_s3_bucket_website_configuration').length > 0;
    return site ? fail('static website hosting is configured') : pass();
  },
});
