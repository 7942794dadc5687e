import { defineRule, fail, notApplicable, pass } from '../../types';
import { firstBlock } from '../../values';

export const S3BucketMfaDeleteNotDisabled = defineRule({
  id: 'MLF-S3-12',
  name: 'S3BucketMfaDeleteNotDisabled',
  severity: 'low',
  controls: ['S3-MFA-DELETE'],
  scanners: { kics: ['c5b31ab9-0f26-4a49-b8aa-4cc064392f4d'], trivy: ['AVD-AWS-0170'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'A bucket without a lifecycle configuration does not set mfa_delete = "Disabled" explicitly.',
  explanation: 'MFA delete needs root credentials and cannot be set by a Terraform role (AVD-AWS-0170 is CIS-only); KICS only fires when mfa_delete is explicitly Disabled on a bucket without lifecycle rules.',
  evaluate(bucket, stack) {
    if (stack.bucketResources(bucket, 'aws_s3_bucket_lifecycle_configuration').length > 0) return notApplicable('the bucket has a lifecycle configuration');
    const disabled = stack
      .bucketResources(bucket, 'aws_s3_bucket_versioning')
      .some((v) => firstBlock(v.config.versioning_configuration)?.mfa_delete === 'Disabled');
    return disabled ? fail('mfa_delete is explicitly Disabled') : pass();
  },
});
