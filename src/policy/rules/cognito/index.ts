import { Rule } from '../../types';
import { CognitoClientSettings } from './CognitoClientSettings';
import { CognitoDomainPrefix } from './CognitoDomainPrefix';
import { CognitoNoUnauthenticatedIdentities } from './CognitoNoUnauthenticatedIdentities';
import { CognitoThreatProtection } from './CognitoThreatProtection';
import { CognitoUserPoolMfa } from './CognitoUserPoolMfa';
import { CognitoUserPoolSettings } from './CognitoUserPoolSettings';

export const COGNITO_RULES: readonly Rule[] = [
  CognitoUserPoolMfa,
  CognitoUserPoolSettings,
  CognitoThreatProtection,
  CognitoClientSettings,
  CognitoDomainPrefix,
  CognitoNoUnauthenticatedIdentities,
];
