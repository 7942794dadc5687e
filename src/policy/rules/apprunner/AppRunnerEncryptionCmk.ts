import { defineRule } from '../../types';
import { firstBlock, requireSet } from '../../values';

export const AppRunnerEncryptionCmk = defineRule({
  id: 'MLF-APR-1',
  name: 'AppRunnerEncryptionCmk',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_apprunner_service'],
  info: 'encryption_configuration.kms_key is set.',
  explanation: 'Source and configuration (including environment) are encrypted with the stack key instead of an AWS-owned one; it cannot change after creation.',
  evaluate(service) {
    return requireSet(firstBlock(service.config.encryption_configuration)?.kms_key, 'encryption_configuration.kms_key');
  },
});
