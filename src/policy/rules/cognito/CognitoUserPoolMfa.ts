import { defineRule, fail, pass } from '../../types';
import { asBool, firstBlock } from '../../values';

export const CognitoUserPoolMfa = defineRule({
  id: 'MLF-COG-1',
  name: 'CognitoUserPoolMfa',
  severity: 'medium',
  controls: ['COGNITO-MFA'],
  scanners: { kics: ['ec28bf61-a474-4dbe-b414-6dd3a067d6f0'] },
  resourceTypes: ['aws_cognito_user_pool'],
  info: 'mfa_configuration is ON or OPTIONAL with software-token (or SMS) MFA configured.',
  explanation: 'MLflow holds model lineage; a password alone is one phish away.',
  evaluate(pool) {
    const mode = pool.config.mfa_configuration;
    if (mode !== 'ON' && mode !== 'OPTIONAL') return fail(`mfa_configuration is ${JSON.stringify(mode ?? 'OFF')}`);
    const totp = asBool(firstBlock(pool.config.software_token_mfa_configuration)?.enabled) === true;
    return totp || firstBlock(pool.config.sms_configuration) ? pass() : fail('no software_token_mfa_configuration or sms_configuration');
  },
});
