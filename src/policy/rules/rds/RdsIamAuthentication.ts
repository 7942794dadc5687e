import { defineRule, notApplicable } from '../../types';
import { requireTrue } from '../../values';

export const RdsIamAuthentication = defineRule({
  id: 'MLF-RDS-3',
  name: 'RdsIamAuthentication',
  severity: 'medium',
  controls: ['RDS-IAM-AUTH'],
  scanners: { checkov: ['CKV_AWS_161', 'CKV_AWS_162'], trivy: ['AVD-AWS-0176'], kics: ['88fd05e0-ac0e-43d2-ba6d-fc0ba60ae1a6'], terrascan: ['AC_AWS_0053'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  info: 'iam_database_authentication_enabled is true.',
  explanation: 'Enabling IAM authentication does not force it: MLflow keeps its password from Secrets Manager while operators can use short-lived IAM tokens.',
  evaluate(db) {
    const engine = String(db.config.engine ?? '');
    if (!/postgres|mysql|mariadb|aurora/.test(engine)) return notApplicable(`engine ${engine}`);
    return requireTrue(db.config.iam_database_authentication_enabled, 'iam_database_authentication_enabled');
  },
});
