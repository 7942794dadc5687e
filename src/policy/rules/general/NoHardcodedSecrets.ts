import { defineRule, fail, pass } from '../../types';
import { isExpression } from '../../values';

/** Attributes that hold credentials, per resource type (beyond the listener's client_secret, MLF-ALB-14). */
export const SECRET_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_db_instance: ['password'],
  aws_rds_cluster: ['master_password'],
  aws_secretsmanager_secret_version: ['secret_string'],
  aws_ssm_parameter: ['value'],
  'provider.aws': ['access_key', 'secret_key', 'token'],
};

export const NoHardcodedSecrets = defineRule({
  id: 'MLF-GEN-1',
  name: 'NoHardcodedSecrets',
  severity: 'critical',
  controls: ['NO-HARDCODED-SECRETS'],
  scanners: { checkov: ['CKV_AWS_41', 'CKV_SECRET_* (secrets framework)'], kics: ['a88baa34-e2ad-44ea-ad6f-8cac87bc7c71'] },
  resourceTypes: Object.keys(SECRET_ATTRIBUTES),
  info: 'Credential attributes (passwords, secret strings, provider keys) are expressions (random_password, variables), never literals.',
  explanation: 'A literal lands in git and in cdk.tf.json; use random_password, manage_master_user_password or a sensitive variable. (Values still reach Terraform state: keep state encrypted.)',
  evaluate(resource) {
    const literals = (SECRET_ATTRIBUTES[resource.type] ?? []).filter((a) => {
      const v = resource.config[a];
      return typeof v === 'string' && v !== '' && !isExpression(v);
    });
    return literals.length > 0 ? fail(`literal value in ${literals.join(', ')}`) : pass();
  },
});
