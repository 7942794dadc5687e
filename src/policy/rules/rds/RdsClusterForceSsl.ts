import { defineRule, fail, pass } from '../../types';
import { parameterGroup, parameterValue } from './util';

export const RdsClusterForceSsl = defineRule({
  id: 'MLF-RDS-15',
  name: 'RdsClusterForceSsl',
  severity: 'high',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_rds_cluster'],
  info: 'The cluster is attached (db_cluster_parameter_group_name) to a cluster parameter group of this stack with rds.force_ssl = 1.',
  explanation: 'No scanner checks rds.force_ssl for Aurora (CKV2_AWS_69 covers aws_db_instance only); the instance parameter group does not apply to the cluster.',
  evaluate(cluster, stack) {
    const group = parameterGroup(stack, cluster.config.db_cluster_parameter_group_name, 'aws_rds_cluster_parameter_group');
    if (!group) return fail('db_cluster_parameter_group_name does not name a cluster parameter group of this stack');
    const value = parameterValue(group, 'rds.force_ssl');
    return value === '1' ? pass() : fail(`${group.address} sets rds.force_ssl = ${JSON.stringify(value ?? null)}; it must be 1`);
  },
});
