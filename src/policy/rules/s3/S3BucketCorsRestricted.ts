import { defineRule, fail, pass } from '../../types';
import { blocks, strings } from '../../values';

export const S3BucketCorsRestricted = defineRule({
  id: 'MLF-S3-15',
  name: 'S3BucketCorsRestricted',
  severity: 'high',
  controls: ['S3-CORS'],
  scanners: { kics: ['98a8f708-121b-455b-ae2f-da3fb59d17e1'] },
  resourceTypes: ['aws_s3_bucket_cors_configuration'],
  info: 'CORS rules allow no wildcard origins, methods or headers.',
  explanation: 'MLflow proxies artifacts, so browsers never need S3 CORS; if a rule is added it must name origins and methods.',
  evaluate(cors) {
    const wild = blocks(cors.config.cors_rule).filter((r) =>
      ['allowed_origins', 'allowed_methods', 'allowed_headers'].some((k) => strings(r[k]).includes('*')),
    );
    return wild.length > 0 ? fail('a cors_rule allows "*"') : pass();
  },
});
