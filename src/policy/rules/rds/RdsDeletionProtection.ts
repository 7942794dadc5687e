import { defineRule } from '../../types';
import { requireTrue } from '../../values';

export const RdsDeletionProtection = defineRule({
  id: 'MLF-RDS-4',
  name: 'RdsDeletionProtection',
  severity: 'high',
  controls: ['RDS-DELETION-PROTECTION'],
  scanners: { checkov: ['CKV_AWS_293', 'CKV_AWS_139'], trivy: ['AVD-AWS-0177', 'AVD-AWS-0343'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  info: 'deletion_protection is true.',
  explanation: 'A destroy or a replacing change must not delete the tracking database. Environments meant to be torn down suppress it with their configuration as the reason (config validation requires it in production).',
  evaluate(db) {
    return requireTrue(db.config.deletion_protection, 'deletion_protection');
  },
});
