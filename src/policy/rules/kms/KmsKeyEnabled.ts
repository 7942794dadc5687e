import { defineRule, fail, pass } from '../../types';
import { asBool } from '../../values';

export const KmsKeyEnabled = defineRule({
  id: 'MLF-KMS-2',
  name: 'KmsKeyEnabled',
  severity: 'medium',
  controls: ['KMS-ENABLED'],
  scanners: { checkov: ['CKV_AWS_227'], kics: ['7350fa23-dcf7-4938-916d-6a60b0c73b50'] },
  resourceTypes: ['aws_kms_key'],
  info: 'is_enabled is not false.',
  explanation: 'A disabled stack key makes logs, secrets and artifacts unreadable.',
  evaluate(key) {
    return asBool(key.config.is_enabled) === false ? fail('is_enabled is false') : pass();
  },
});
