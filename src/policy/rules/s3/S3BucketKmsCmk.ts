import { defineRule, fail, pass } from '../../types';
import { blocks, firstBlock } from '../../values';

/** Default encryption uses SSE-KMS with a customer-managed key. */
export const S3BucketKmsCmk = defineRule({
  id: 'MLF-S3-2',
  name: 'S3BucketKmsCmk',
  severity: 'high',
  controls: ['S3-CMK'],
  scanners: { checkov: ['CKV_AWS_145'], trivy: ['AVD-AWS-0132'], terrascan: ['AC_AWS_0207'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'The bucket encrypts with SSE-KMS and a customer-managed key (kms_master_key_id).',
  explanation:
    'A CMK puts decryption under the key policy and CloudTrail. Exception: buckets that receive ELB access logs or S3 server access logs must use SSE-S3 (AWS ELB docs, enable-access-logging); suppress those with that reason.',
  evaluate(bucket, stack) {
    const rules = [
      ...blocks(bucket.config.server_side_encryption_configuration),
      ...stack.bucketResources(bucket, 'aws_s3_bucket_server_side_encryption_configuration').map((r) => r.config),
    ].flatMap((c) => blocks(c.rule));
    const kms = rules.map((r) => firstBlock(r.apply_server_side_encryption_by_default)).filter((d) => d?.sse_algorithm === 'aws:kms' || d?.sse_algorithm === 'aws:kms:dsse');
    if (kms.length === 0) return fail('default encryption is not SSE-KMS');
    return kms.every((d) => typeof d?.kms_master_key_id === 'string' && d.kms_master_key_id !== '' && !String(d.kms_master_key_id).includes('alias/aws/s3'))
      ? pass()
      : fail('SSE-KMS without a customer-managed kms_master_key_id (the aws/s3 key)');
  },
});
