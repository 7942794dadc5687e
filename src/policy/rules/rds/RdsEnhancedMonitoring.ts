import { defineRule, fail, pass } from '../../types';
import { asNumber } from '../../values';

export const RdsEnhancedMonitoring = defineRule({
  id: 'MLF-RDS-9',
  name: 'RdsEnhancedMonitoring',
  severity: 'low',
  controls: ['RDS-ENHANCED-MONITORING'],
  scanners: { checkov: ['CKV_AWS_118'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
  info: 'monitoring_interval is one of 1, 5, 10, 15, 30, 60 with a monitoring_role_arn.',
  explanation: 'OS-level metrics (memory, swap, I/O) explain database slowdowns CloudWatch metrics cannot.',
  evaluate(db) {
    const interval = asNumber(db.config.monitoring_interval);
    if (interval === undefined || ![1, 5, 10, 15, 30, 60].includes(interval)) return fail(`monitoring_interval is ${JSON.stringify(db.config.monitoring_interval ?? null)}`);
    return db.config.monitoring_role_arn ? pass() : fail('monitoring_role_arn is not set');
  },
});
