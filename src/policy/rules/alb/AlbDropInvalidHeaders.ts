import { defineRule, notApplicable } from '../../types';
import { requireTrue } from '../../values';

export const AlbDropInvalidHeaders = defineRule({
  id: 'MLF-ALB-2',
  name: 'AlbDropInvalidHeaders',
  severity: 'high',
  controls: ['ALB-DROP-INVALID-HEADERS'],
  scanners: { checkov: ['CKV_AWS_131'], trivy: ['AVD-AWS-0052'], kics: ['6e3fd2ed-5c83-4c68-9679-7700d224d379'] },
  resourceTypes: ['aws_lb', 'aws_alb'],
  info: 'drop_invalid_header_fields is explicitly true.',
  explanation: 'Invalid header names are a request-smuggling vector; the AWS default is false.',
  evaluate(lb) {
    const type = lb.config.load_balancer_type ?? 'application';
    if (type !== 'application') return notApplicable(`load_balancer_type is ${String(type)}`);
    return requireTrue(lb.config.drop_invalid_header_fields, 'drop_invalid_header_fields');
  },
});
