import { defineRule } from '../../types';
import { requireOneOf } from '../../values';

export const EcrImmutableTags = defineRule({
  id: 'MLF-ECR-1',
  name: 'EcrImmutableTags',
  severity: 'high',
  controls: ['ECR-IMMUTABLE'],
  scanners: { checkov: ['CKV_AWS_51'], trivy: ['AVD-AWS-0031'], kics: ['d1846b12-20c5-4d45-8798-fc35b79268eb'] },
  resourceTypes: ['aws_ecr_repository'],
  info: 'image_tag_mutability is IMMUTABLE.',
  explanation: 'A mutable tag lets a push silently change what production runs; deploy by digest or unique tag.',
  evaluate(repo) {
    return requireOneOf(repo.config.image_tag_mutability, ['IMMUTABLE'], 'image_tag_mutability');
  },
});
