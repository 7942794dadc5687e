import { defineRule, fail, pass } from '../../types';
import { firstBlock } from '../../values';

export const AcmTransparencyLogging = defineRule({
  id: 'MLF-ACM-2',
  name: 'AcmTransparencyLogging',
  severity: 'low',
  controls: ['ACM-CT-LOGGING'],
  scanners: { checkov: ['CKV_AWS_234'] },
  resourceTypes: ['aws_acm_certificate'],
  info: 'Certificate transparency logging is not disabled.',
  explanation: 'Browsers reject certificates missing from CT logs, and CT lets the domain owner spot mis-issuance.',
  evaluate(cert) {
    return firstBlock(cert.config.options)?.certificate_transparency_logging_preference === 'DISABLED' ? fail('certificate_transparency_logging_preference is DISABLED') : pass();
  },
});
