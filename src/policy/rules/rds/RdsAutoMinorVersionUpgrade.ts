import { defineRule } from '../../types';
import { requireTrue } from '../../values';

export const RdsAutoMinorVersionUpgrade = defineRule({
  id: 'MLF-RDS-7',
  name: 'RdsAutoMinorVersionUpgrade',
  severity: 'medium',
  controls: ['RDS-MINOR-UPGRADE'],
  scanners: { checkov: ['CKV_AWS_226'], kics: ['3b6d777b-76e3-4133-80a3-0d6f667ade7f'], terrascan: ['AC_AWS_0056'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
  info: 'auto_minor_version_upgrade is explicitly true.',
  explanation: 'Minor versions carry security fixes; checkov fails the attribute when absent even though AWS defaults to true.',
  evaluate(db) {
    return requireTrue(db.config.auto_minor_version_upgrade, 'auto_minor_version_upgrade');
  },
});
