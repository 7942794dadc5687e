import { defineRule, fail, pass } from '../../types';
import { firstBlock } from '../../values';

export const EcrKmsCmk = defineRule({
  id: 'MLF-ECR-3',
  name: 'EcrKmsCmk',
  severity: 'low',
  controls: ['ECR-KMS'],
  scanners: { checkov: ['CKV_AWS_136'], trivy: ['AVD-AWS-0033'], kics: ['0e32d561-4b5a-4664-a6e3-a3fa85649157'], terrascan: ['AC_AWS_0461'] },
  resourceTypes: ['aws_ecr_repository'],
  info: 'encryption_configuration uses KMS with a customer-managed kms_key.',
  explanation: 'Images can embed model code and dependencies; the stack key puts them under the key policy. The encryption of an existing repository cannot change without replacing it, so set it at creation.',
  evaluate(repo) {
    const enc = firstBlock(repo.config.encryption_configuration);
    if (!enc || enc.encryption_type !== 'KMS') return fail(`encryption_type is ${JSON.stringify(enc?.encryption_type ?? 'AES256 (default)')}`);
    return enc.kms_key ? pass() : fail('kms_key is not set (the AWS-managed key)');
  },
});
