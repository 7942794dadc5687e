import { defineRule, fail, pass, unknown } from '../../types';
import { isExpression } from '../../values';

export const S3BucketDnsCompliantName = defineRule({
  id: 'MLF-S3-13',
  name: 'S3BucketDnsCompliantName',
  severity: 'medium',
  controls: ['S3-NAME'],
  scanners: { trivy: ['AVD-AWS-0320'] },
  resourceTypes: ['aws_s3_bucket'],
  info: 'The bucket name contains no dots.',
  explanation: 'Dotted names break virtual-hosted TLS (the wildcard certificate covers one label) and S3 Transfer Acceleration.',
  evaluate(bucket) {
    const name = bucket.config.bucket;
    if (name === undefined) return fail('bucket name is not set (a random name is generated)');
    if (isExpression(name)) return unknown(`bucket is the expression ${name}`);
    return String(name).includes('.') ? fail(`bucket name ${String(name)} contains a dot`) : pass();
  },
});
