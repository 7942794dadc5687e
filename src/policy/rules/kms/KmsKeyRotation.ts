import { defineRule, notApplicable } from '../../types';
import { requireTrue } from '../../values';

export const KmsKeyRotation = defineRule({
  id: 'MLF-KMS-1',
  name: 'KmsKeyRotation',
  severity: 'medium',
  controls: ['KMS-ROTATION'],
  scanners: { checkov: ['CKV_AWS_7'], trivy: ['AVD-AWS-0065'], kics: ['22fbfeac-7b5a-421a-8a27-7a2178bb910b'], terrascan: ['AC_AWS_0160'] },
  resourceTypes: ['aws_kms_key'],
  info: 'Symmetric keys set enable_key_rotation = true.',
  explanation: 'Rotation limits how much data one key version protects; it is free of re-encryption work.',
  evaluate(key) {
    const spec = key.config.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
    if (key.config.key_usage === 'SIGN_VERIFY' || (spec !== 'SYMMETRIC_DEFAULT' && !String(spec).startsWith('HMAC'))) return notApplicable(`key spec ${String(spec)}`);
    return requireTrue(key.config.enable_key_rotation, 'enable_key_rotation');
  },
});
