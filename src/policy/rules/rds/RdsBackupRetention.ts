import { defineRule, fail, pass, unknown } from '../../types';
import { asNumber, isExpression } from '../../values';

export const RdsBackupRetention = defineRule({
  id: 'MLF-RDS-5',
  name: 'RdsBackupRetention',
  severity: 'high',
  controls: ['RDS-BACKUP'],
  scanners: {
    checkov: ['CKV_AWS_133'],
    trivy: ['AVD-AWS-0077'],
    kics: ['1dc73fb4-5b51-430c-8c5f-25dcf9090b02', 'e542bd46-58c4-4e0f-a52a-1fb4f9548e02'],
    terrascan: ['AC_AWS_0052', 'AC_AWS_0495'],
  },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  info: 'backup_retention_period is set, at most 35, at least 2 (7 in production).',
  explanation: 'Automated backups and point-in-time recovery are the way back from a bad migration or deletion.',
  evaluate(db, stack) {
    if (db.config.replicate_source_db) return pass('read replica');
    const v = db.config.backup_retention_period;
    if (isExpression(v)) return unknown(`backup_retention_period is the expression ${v}`);
    const days = asNumber(v);
    const min = stack.production ? 7 : 2;
    if (days === undefined) return fail('backup_retention_period is not set');
    return days >= min && days <= 35 ? pass() : fail(`backup_retention_period is ${days}; allowed ${min}..35`);
  },
});
