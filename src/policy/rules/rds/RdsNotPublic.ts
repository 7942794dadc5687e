import { combine, defineRule, fail, pass } from '../../types';
import { isInternetCidr, requireNotTrue } from '../../values';

export const RdsNotPublic = defineRule({
  id: 'MLF-RDS-2',
  name: 'RdsNotPublic',
  severity: 'critical',
  controls: ['RDS-NOT-PUBLIC'],
  scanners: {
    checkov: ['CKV_AWS_17'],
    trivy: ['AVD-AWS-0180'],
    kics: ['35113e6f-2c6b-414d-beec-7a9482d3b2d1', '2f737336-b18a-4602-8ea0-b200312e1ac1'],
    terrascan: ['AC_AWS_0054'],
  },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
  info: 'publicly_accessible is not true and the subnet group has no 0.0.0.0/0 subnet.',
  explanation: 'The database is reached only from the MLflow tasks inside the VPC.',
  evaluate(db, stack) {
    const group = stack.target(db.config.db_subnet_group_name, 'aws_db_subnet_group');
    const wide = group ? stack.resolve(group.config.subnet_ids).filter((s) => isInternetCidr(String(s.config.cidr_block))) : [];
    return combine([requireNotTrue(db.config.publicly_accessible, 'publicly_accessible'), wide.length > 0 ? fail('a subnet of the subnet group is 0.0.0.0/0') : pass()]);
  },
});
