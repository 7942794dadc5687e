import { defineRule, fail, pass } from '../../types';

export const SecretCmk = defineRule({
  id: 'MLF-SM-1',
  name: 'SecretCmk',
  severity: 'medium',
  controls: ['SM-CMK'],
  scanners: {
    checkov: ['CKV_AWS_149'],
    trivy: ['AVD-AWS-0098'],
    kics: ['a2f548f2-188c-4fff-b172-e9a6acb216bd', 'b0d3ef3f-845d-4b1b-83d6-63a5a380375f'],
    terrascan: ['AC_AWS_0500'],
  },
  resourceTypes: ['aws_secretsmanager_secret'],
  info: 'kms_key_id is a customer-managed key (not aws/secretsmanager).',
  explanation: 'With the stack key, reading the secret needs kms:Decrypt on that key too, and the key policy is auditable.',
  evaluate(secret) {
    const key = secret.config.kms_key_id;
    if (typeof key !== 'string' || key === '') return fail('kms_key_id is not set (aws/secretsmanager)');
    return key.includes('aws/') ? fail(`kms_key_id is the AWS-managed ${key}`) : pass();
  },
});
