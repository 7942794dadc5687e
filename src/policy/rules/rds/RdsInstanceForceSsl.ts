import { defineRule, fail, notApplicable, pass } from '../../types';
import { isAurora, parameterGroup, parameterValue } from './util';

export const RdsInstanceForceSsl = defineRule({
  id: 'MLF-RDS-14',
  name: 'RdsInstanceForceSsl',
  severity: 'high',
  controls: ['RDS-FORCE-SSL'],
  scanners: { checkov: ['CKV2_AWS_69'] },
  resourceTypes: ['aws_db_instance'],
  info: 'The instance is attached (parameter_group_name) to a parameter group of this stack with rds.force_ssl = 1.',
  explanation: 'Without force_ssl a misconfigured client sends the MLflow password in clear inside the VPC. Stricter than checkov, which passes an instance without a parameter group.',
  evaluate(db, stack) {
    if (isAurora(db)) return notApplicable('aurora instance: checked on the cluster parameter group (MLF-RDS-15)');
    const engine = String(db.config.engine ?? '');
    const group = parameterGroup(stack, db.config.parameter_group_name, 'aws_db_parameter_group');
    if (!group) return fail('parameter_group_name does not name a parameter group of this stack');
    const name = /mysql|mariadb/.test(engine) ? 'require_secure_transport' : 'rds.force_ssl';
    const value = parameterValue(group, name);
    return value === '1' || value === 'ON' ? pass() : fail(`${group.address} sets ${name} = ${JSON.stringify(value ?? null)}; it must be 1`);
  },
});
