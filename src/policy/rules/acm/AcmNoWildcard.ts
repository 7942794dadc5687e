import { defineRule, fail, pass } from '../../types';
import { strings } from '../../values';

export const AcmNoWildcard = defineRule({
  id: 'MLF-ACM-3',
  name: 'AcmNoWildcard',
  severity: 'low',
  controls: ['ACM-NO-WILDCARD'],
  scanners: { checkov: ['CKV2_AWS_71'] },
  resourceTypes: ['aws_acm_certificate'],
  info: 'No wildcard in domain_name or subject_alternative_names.',
  explanation: 'Issue the certificate for the exact MLflow hostname; a wildcard key compromises every sibling host.',
  evaluate(cert) {
    const names = [...strings(cert.config.domain_name), ...strings(cert.config.subject_alternative_names)].filter((n) => n.includes('*'));
    return names.length > 0 ? fail(`wildcard name(s) ${names.join(', ')}`) : pass();
  },
});
