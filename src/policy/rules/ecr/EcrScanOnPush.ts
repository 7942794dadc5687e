import { defineRule } from '../../types';
import { firstBlock, requireTrue } from '../../values';

export const EcrScanOnPush = defineRule({
  id: 'MLF-ECR-2',
  name: 'EcrScanOnPush',
  severity: 'medium',
  controls: ['ECR-SCAN-ON-PUSH'],
  scanners: { checkov: ['CKV_AWS_163'], trivy: ['AVD-AWS-0030'], kics: ['9630336b-3fed-4096-8173-b9afdfe346a7'], terrascan: ['AC_AWS_0083'] },
  resourceTypes: ['aws_ecr_repository'],
  info: 'image_scanning_configuration.scan_on_push is true.',
  explanation: 'Every pushed MLflow image is scanned for known CVEs before it is deployed.',
  evaluate(repo) {
    return requireTrue(firstBlock(repo.config.image_scanning_configuration)?.scan_on_push, 'image_scanning_configuration.scan_on_push');
  },
});
