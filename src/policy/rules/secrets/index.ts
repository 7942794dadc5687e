import { Rule } from '../../types';
import { SecretCmk } from './SecretCmk';
import { SecretRotation } from './SecretRotation';

export const SECRETS_RULES: readonly Rule[] = [SecretCmk, SecretRotation];
