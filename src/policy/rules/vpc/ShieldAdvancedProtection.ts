import { defineRule, fail, notApplicable, pass } from '../../types';
import { asBool } from '../../values';

export const ShieldAdvancedProtection = defineRule({
  id: 'MLF-VPC-8',
  name: 'ShieldAdvancedProtection',
  severity: 'low',
  controls: ['SHIELD-ADVANCED'],
  scanners: { kics: ['084c6686-2a70-4710-91b1-000393e54c12'] },
  resourceTypes: ['aws_lb', 'aws_eip', 'aws_route53_zone'],
  info: 'An aws_shield_protection covers the load balancer, Elastic IP or hosted zone.',
  explanation: 'Shield Advanced costs USD 3,000/month with a one-year commitment. Justify with Shield Standard (automatic), the WAF rate-based rule and listener authentication, or add it.',
  evaluate(resource, stack) {
    if (resource.type === 'aws_lb' && asBool(resource.config.internal) === true) return notApplicable('internal load balancer: not reachable from the internet');
    return stack.referencing(resource, ['aws_shield_protection'], 'resource_arn').length > 0 ? pass() : fail('no aws_shield_protection references this resource');
  },
});
