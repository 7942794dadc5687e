import { defineRule, fail, notApplicable, pass } from '../../types';

export const AcmCertificateValidated = defineRule({
  id: 'MLF-ACM-4',
  name: 'AcmCertificateValidated',
  severity: 'medium',
  controls: ['ACM-IMPORTED-CERT'],
  scanners: { kics: ['c3831315-5ae6-4fa8-b458-3d4d5ab7a3f6', '874d68a3-bfbe-4a4b-aaa0-9e74d7da634b'] },
  resourceTypes: ['aws_acm_certificate'],
  info: 'An ACM-issued certificate has an aws_acm_certificate_validation; imported certificates (certificate_body) are not used.',
  explanation: 'Listeners must wait for validation, and an imported certificate expires without renewal (the KICS queries check imported certificates only).',
  evaluate(cert, stack) {
    if (cert.config.certificate_body) return fail('imported certificate (certificate_body): ACM does not renew it');
    if (cert.config.validation_method === undefined) return notApplicable('no validation method');
    return stack.referencing(cert, ['aws_acm_certificate_validation'], 'certificate_arn').length > 0 ? pass() : fail('no aws_acm_certificate_validation references the certificate');
  },
});
