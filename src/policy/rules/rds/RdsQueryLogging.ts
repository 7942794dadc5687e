import { defineRule, fail, notApplicable, pass } from '../../types';
import { isAurora, parameterGroup, parameterValue } from './util';

export const RdsQueryLogging = defineRule({
  id: 'MLF-RDS-16',
  name: 'RdsQueryLogging',
  severity: 'low',
  controls: ['RDS-QUERY-LOGGING'],
  scanners: { checkov: ['CKV2_AWS_30', 'CKV2_AWS_27'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  info: 'The attached parameter group logs statements: log_min_duration_statement (instances); log_statement and log_min_duration_statement (Aurora clusters).',
  explanation: "Slow-query logging shows which MLflow searches hurt. Avoid log_statement = 'all': it logs literals, including secrets.",
  evaluate(db, stack) {
    if (db.type === 'aws_db_instance') {
      if (isAurora(db)) return notApplicable('aurora instance: checked on the cluster');
      const group = parameterGroup(stack, db.config.parameter_group_name, 'aws_db_parameter_group');
      if (!group) return fail('no parameter group of this stack is attached');
      return parameterValue(group, 'log_min_duration_statement') !== undefined || parameterValue(group, 'log_statement') !== undefined
        ? pass()
        : fail(`${group.address} sets neither log_min_duration_statement nor log_statement`);
    }
    const group = parameterGroup(stack, db.config.db_cluster_parameter_group_name, 'aws_rds_cluster_parameter_group');
    if (!group) return fail('no cluster parameter group of this stack is attached');
    const missing = ['log_statement', 'log_min_duration_statement'].filter((n) => parameterValue(group, n) === undefined);
    if (parameterValue(group, 'log_statement') === 'all') return fail("log_statement is 'all' (logs secrets)");
    return missing.length > 0 ? fail(`${group.address} lacks ${missing.join(', ')}`) : pass();
  },
});
