import { defineRule, notApplicable } from '../../types';
import { requireOneOf } from '../../values';
import { isAurora } from './util';

export const MODERN_RDS_CAS = ['rds-ca-rsa2048-g1', 'rds-ca-rsa4096-g1', 'rds-ca-ecc384-g1'];

export const RdsCaCertificate = defineRule({
  id: 'MLF-RDS-13',
  name: 'RdsCaCertificate',
  severity: 'high',
  controls: ['RDS-CA'],
  scanners: { checkov: ['CKV_AWS_211'], kics: ['9f40c07e-699e-4410-8856-3ba0f2e3a2dd'], terrascan: ['AC_AWS_0057'] },
  resourceTypes: ['aws_db_instance'],
  info: 'ca_cert_identifier is set explicitly to a current CA (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1).',
  explanation: 'rds-ca-2019 expired in 2024; clients verifying the server certificate (sslmode=verify-full) need a current CA. Terrascan AC_AWS_0057 still demands rds-ca-2019 (stale rule, documented exception).',
  evaluate(db) {
    if (isAurora(db)) return notApplicable('aurora instance');
    return requireOneOf(db.config.ca_cert_identifier, MODERN_RDS_CAS, 'ca_cert_identifier');
  },
});
