import { defineRule } from '../../types';
import { firstBlock, requireOneOf } from '../../values';

export const CognitoThreatProtection = defineRule({
  id: 'MLF-COG-3',
  name: 'CognitoThreatProtection',
  severity: 'low',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_cognito_user_pool'],
  info: 'user_pool_add_ons.advanced_security_mode is ENFORCED (threat protection).',
  explanation: 'Threat protection blocks compromised credentials and risky sign-ins; it needs the Cognito Plus feature plan (per-MAU cost), so a pool without it is suppressed with that reason.',
  evaluate(pool) {
    return requireOneOf(firstBlock(pool.config.user_pool_add_ons)?.advanced_security_mode, ['ENFORCED'], 'user_pool_add_ons.advanced_security_mode');
  },
});
