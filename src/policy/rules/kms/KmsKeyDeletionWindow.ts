import { defineRule } from '../../types';
import { requireOneOf } from '../../values';

export const KmsKeyDeletionWindow = defineRule({
  id: 'MLF-KMS-4',
  name: 'KmsKeyDeletionWindow',
  severity: 'medium',
  controls: ['KMS-DELETION-WINDOW'],
  scanners: { kics: ['0b530315-0ea4-497f-b34c-4ff86268f59d'] },
  resourceTypes: ['aws_kms_key'],
  info: 'deletion_window_in_days is 30.',
  explanation: 'Scheduling the key for deletion makes everything it encrypts unrecoverable once the window ends; the longest window gives the most time to cancel.',
  evaluate(key) {
    return requireOneOf(key.config.deletion_window_in_days, [30], 'deletion_window_in_days');
  },
});
