import { defineRule } from '../../types';
import { requireSet } from '../../values';

export const RdsLogExports = defineRule({
  id: 'MLF-RDS-6',
  name: 'RdsLogExports',
  severity: 'medium',
  controls: ['RDS-LOG-EXPORTS'],
  scanners: { checkov: ['CKV_AWS_129', 'CKV_AWS_324'], kics: ['8d7f7b8c-6c7c-40f8-baa6-62006c6c7b56'], terrascan: ['AC_AWS_0454'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  info: 'enabled_cloudwatch_logs_exports is non-empty (postgresql, upgrade).',
  explanation: 'Exported logs keep connection and slow-query records beyond the instance; their /aws/rds/... groups need retention too.',
  evaluate(db) {
    return requireSet(db.config.enabled_cloudwatch_logs_exports, 'enabled_cloudwatch_logs_exports');
  },
});
