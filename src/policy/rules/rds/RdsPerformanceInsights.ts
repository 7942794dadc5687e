import { defineRule } from '../../types';
import { requireTrue } from '../../values';

export const RdsPerformanceInsights = defineRule({
  id: 'MLF-RDS-10',
  name: 'RdsPerformanceInsights',
  severity: 'low',
  controls: ['RDS-PERF-INSIGHTS'],
  scanners: { checkov: ['CKV_AWS_353'], trivy: ['AVD-AWS-0133'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
  info: 'performance_insights_enabled is true.',
  explanation: 'Query-level load is how slow MLflow searches are diagnosed. Micro/small burstable classes do not support it; suppress there with the class as the reason.',
  evaluate(db) {
    return requireTrue(db.config.performance_insights_enabled, 'performance_insights_enabled');
  },
});
