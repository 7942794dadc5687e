import { defineRule, fail, pass } from '../../types';
import { asBool, asNumber, firstBlock } from '../../values';

export const MIN_PASSWORD_LENGTH = 12;

export const CognitoUserPoolSettings = defineRule({
  id: 'MLF-COG-2',
  name: 'CognitoUserPoolSettings',
  severity: 'high',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_cognito_user_pool'],
  info: `deletion_protection = ACTIVE, admin-only sign-up, and a password policy of at least ${MIN_PASSWORD_LENGTH} characters with all character classes.`,
  explanation: 'Self sign-up would let anyone on the internet through the ALB authentication; deleting the pool locks every user out. No scanner checks these.',
  evaluate(pool) {
    const problems: string[] = [];
    if (pool.config.deletion_protection !== 'ACTIVE') problems.push('deletion_protection is not ACTIVE');
    if (asBool(firstBlock(pool.config.admin_create_user_config)?.allow_admin_create_user_only) !== true) problems.push('allow_admin_create_user_only is not true (self sign-up)');
    const policy = firstBlock(pool.config.password_policy);
    if (!policy) problems.push('no password_policy');
    else {
      if ((asNumber(policy.minimum_length) ?? 8) < MIN_PASSWORD_LENGTH) problems.push(`minimum_length is ${String(policy.minimum_length ?? 8)}`);
      const classes = ['require_lowercase', 'require_uppercase', 'require_numbers', 'require_symbols'].filter((k) => asBool(policy[k]) === false);
      if (classes.length > 0) problems.push(`${classes.join(', ')} false`);
    }
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
