import { defineRule, notApplicable } from '../../types';
import { asBool, requireSet } from '../../values';

export const RdsPerformanceInsightsKms = defineRule({
  id: 'MLF-RDS-11',
  name: 'RdsPerformanceInsightsKms',
  severity: 'low',
  controls: ['RDS-PI-KMS'],
  scanners: { checkov: ['CKV_AWS_354'], trivy: ['AVD-AWS-0078'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
  info: 'With Performance Insights on, performance_insights_kms_key_id is a customer-managed key.',
  explanation: 'Performance Insights stores query text; the stack key keeps it under the key policy. The key cannot change once set.',
  evaluate(db) {
    if (asBool(db.config.performance_insights_enabled) !== true) return notApplicable('Performance Insights is off');
    return requireSet(db.config.performance_insights_kms_key_id, 'performance_insights_kms_key_id');
  },
});
