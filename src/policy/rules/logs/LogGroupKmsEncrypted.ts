import { defineRule } from '../../types';
import { requireSet } from '../../values';

export const LogGroupKmsEncrypted = defineRule({
  id: 'MLF-LOGS-1',
  name: 'LogGroupKmsEncrypted',
  severity: 'medium',
  controls: ['CWL-KMS'],
  scanners: { checkov: ['CKV_AWS_158'], trivy: ['AVD-AWS-0017'], kics: ['0afbcfe9-d341-4b92-a64c-7e6de0543879'], terrascan: ['AC_AWS_0451'] },
  resourceTypes: ['aws_cloudwatch_log_group'],
  info: 'kms_key_id is set.',
  explanation: 'MLflow logs carry run names, parameters and user identities; the key policy must allow logs.<region>.amazonaws.com with a kms:EncryptionContext:aws:logs:arn condition.',
  evaluate(group) {
    return requireSet(group.config.kms_key_id, 'kms_key_id');
  },
});
