import { defineRule, notApplicable } from '../../types';
import { requireTrue } from '../../values';

export const RdsStorageEncrypted = defineRule({
  id: 'MLF-RDS-1',
  name: 'RdsStorageEncrypted',
  severity: 'high',
  controls: ['RDS-ENCRYPTED'],
  scanners: {
    checkov: ['CKV_AWS_16', 'CKV_AWS_96'],
    trivy: ['AVD-AWS-0080'],
    kics: ['08bd0760-8752-44e1-9779-7bb369b2b4e4', '1a690d1d-0ae7-49fa-b2db-b75ae0dd1d3e', '3199c26c-7871-4cb3-99c2-10a59244ce7f'],
    terrascan: ['AC_AWS_0058', 'AC_AWS_0186'],
  },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  info: 'storage_encrypted is explicitly true.',
  explanation: 'The tracking database holds every run, parameter and user; encryption cannot be added later without a snapshot restore.',
  evaluate(db) {
    if (db.config.replicate_source_db) return notApplicable('read replica (inherits encryption)');
    return requireTrue(db.config.storage_encrypted, 'storage_encrypted');
  },
});
