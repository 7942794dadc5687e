import { defineRule } from '../../types';
import { firstBlock, requireTrue } from '../../values';

export const AcmCreateBeforeDestroy = defineRule({
  id: 'MLF-ACM-1',
  name: 'AcmCreateBeforeDestroy',
  severity: 'medium',
  controls: ['ACM-CBD'],
  scanners: { checkov: ['CKV_AWS_233'] },
  resourceTypes: ['aws_acm_certificate'],
  info: 'lifecycle.create_before_destroy is true.',
  explanation: 'A listener cannot lose its certificate: the replacement must exist before the old one is deleted.',
  evaluate(cert) {
    return requireTrue(firstBlock(cert.config.lifecycle)?.create_before_destroy, 'lifecycle.create_before_destroy');
  },
});
