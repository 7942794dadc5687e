import { defineRule, fail, notApplicable, pass } from '../../types';
import { asBool } from '../../values';
import { clusterInstances, isAurora } from './util';

export const RdsMultiAz = defineRule({
  id: 'MLF-RDS-8',
  name: 'RdsMultiAz',
  severity: 'high',
  controls: ['RDS-MULTI-AZ'],
  scanners: { checkov: ['CKV_AWS_157'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  info: 'In production: multi_az = true for an instance; at least two cluster instances for Aurora.',
  explanation: 'A single-AZ database takes MLflow down with its AZ. Outside production single-AZ is an accepted cost choice (RULES.md CHOICE). No scanner checks the Aurora form.',
  evaluate(db, stack) {
    if (!stack.production) return notApplicable('not a production stack');
    if (db.type === 'aws_rds_cluster' || isAurora(db)) {
      if (db.type !== 'aws_rds_cluster') return notApplicable('aurora instance: checked on the cluster');
      const n = clusterInstances(db, stack).length;
      return n >= 2 ? pass() : fail(`${n} aws_rds_cluster_instance; production needs at least 2 (across AZs)`);
    }
    return asBool(db.config.multi_az) === true ? pass() : fail('multi_az is not true');
  },
});
