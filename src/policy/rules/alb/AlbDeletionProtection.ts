import { defineRule } from '../../types';
import { requireTrue } from '../../values';

export const AlbDeletionProtection = defineRule({
  id: 'MLF-ALB-3',
  name: 'AlbDeletionProtection',
  severity: 'medium',
  controls: ['ALB-DELETION-PROTECTION'],
  scanners: { checkov: ['CKV_AWS_150'], kics: ['afecd1f1-6378-4f7e-bb3b-60c35801fdd4'] },
  resourceTypes: ['aws_lb', 'aws_alb'],
  info: 'enable_deletion_protection is explicitly true.',
  explanation: 'Deleting the ALB takes the service and its DNS target down; an environment that is meant to be destroyed suppresses this with its configuration as the reason.',
  evaluate(lb) {
    return requireTrue(lb.config.enable_deletion_protection, 'enable_deletion_protection');
  },
});
