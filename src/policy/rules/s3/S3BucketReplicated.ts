import { defineRule, fail, pass } from '../../types';
import { blocks } from '../../values';

export const S3BucketReplicated = defineRule({
  id: 'MLF-S3-11',
  name: 'S3BucketReplicated',
  severity: 'low',
  controls: ['S3-REPLICATION'],
  scanners: { checkov: ['CKV_AWS_144'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'The bucket has an enabled cross-region replication rule.',
  explanation: 'Cross-region replication survives a regional outage; it needs a second-region bucket and CMK and doubles storage. A single-region deployment suppresses it with that reason.',
  evaluate(bucket, stack) {
    const rules = [
      ...blocks(bucket.config.replication_configuration),
      ...stack.bucketResources(bucket, 'aws_s3_bucket_replication_configuration').map((r) => r.config),
    ].flatMap((c) => blocks(c.rule ?? c.rules));
    return rules.some((r) => r.status === 'Enabled') ? pass() : fail('no enabled replication rule');
  },
});
