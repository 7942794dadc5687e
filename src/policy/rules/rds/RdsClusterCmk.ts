import { defineRule } from '../../types';
import { requireSet } from '../../values';

export const RdsClusterCmk = defineRule({
  id: 'MLF-RDS-19',
  name: 'RdsClusterCmk',
  severity: 'medium',
  controls: ['RDS-CMK'],
  scanners: { checkov: ['CKV_AWS_327'], trivy: ['AVD-AWS-0079'] },
  resourceTypes: ['aws_rds_cluster'],
  info: 'The Aurora cluster encrypts with a customer-managed kms_key_id.',
  explanation: 'A new cluster can take the stack key at creation; it cannot change later without a snapshot restore.',
  evaluate(cluster) {
    return requireSet(cluster.config.kms_key_id, 'kms_key_id');
  },
});
