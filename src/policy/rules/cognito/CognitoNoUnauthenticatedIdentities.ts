import { defineRule } from '../../types';
import { requireNotTrue } from '../../values';

export const CognitoNoUnauthenticatedIdentities = defineRule({
  id: 'MLF-COG-6',
  name: 'CognitoNoUnauthenticatedIdentities',
  severity: 'high',
  controls: ['COGNITO-IDENTITY-POOL'],
  scanners: { checkov: ['CKV_AWS_366'] },
  resourceTypes: ['aws_cognito_identity_pool'],
  info: 'An identity pool does not allow unauthenticated identities.',
  explanation: 'Unauthenticated identities hand AWS credentials to anyone.',
  evaluate(pool) {
    return requireNotTrue(pool.config.allow_unauthenticated_identities, 'allow_unauthenticated_identities');
  },
});
