import { defineRule, fail, notApplicable, pass } from '../../types';
import { asNumber, firstBlock } from '../../values';
import { clusterInstances } from './util';

export const RdsServerlessV2Bounds = defineRule({
  id: 'MLF-RDS-21',
  name: 'RdsServerlessV2Bounds',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_rds_cluster'],
  info: 'A cluster with db.serverless instances has serverlessv2_scaling_configuration with 0.5 <= min <= max <= 256 ACU.',
  explanation: 'Unbounded or inverted capacity either fails at apply or scales cost without limit.',
  evaluate(cluster, stack) {
    const serverless = clusterInstances(cluster, stack).some((i) => i.config.instance_class === 'db.serverless');
    const scaling = firstBlock(cluster.config.serverlessv2_scaling_configuration);
    if (!serverless && !scaling) return notApplicable('no Serverless v2 instances');
    if (!scaling) return fail('serverlessv2_scaling_configuration is not set');
    const min = asNumber(scaling.min_capacity);
    const max = asNumber(scaling.max_capacity);
    if (min === undefined || max === undefined) return fail('min_capacity and max_capacity must be set');
    return min >= 0.5 && min <= max && max <= 256 ? pass() : fail(`capacity ${min}..${max} ACU is out of bounds`);
  },
});
