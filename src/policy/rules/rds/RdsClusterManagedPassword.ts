import { combine, defineRule, fail, pass } from '../../types';
import { isExpression, requireSet, requireTrue } from '../../values';

export const RdsClusterManagedPassword = defineRule({
  id: 'MLF-RDS-20',
  name: 'RdsClusterManagedPassword',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_rds_cluster'],
  info: 'The cluster uses manage_master_user_password = true with master_user_secret_kms_key_id, and no master_password.',
  explanation: 'RDS then generates, stores (encrypted with the stack key) and rotates the password; nothing secret lands in Terraform state.',
  evaluate(cluster) {
    const literal = cluster.config.master_password;
    return combine([
      requireTrue(cluster.config.manage_master_user_password, 'manage_master_user_password'),
      requireSet(cluster.config.master_user_secret_kms_key_id, 'master_user_secret_kms_key_id'),
      literal !== undefined ? fail(`master_password is set${isExpression(literal) ? '' : ' to a literal'}`) : pass(),
    ]);
  },
});
