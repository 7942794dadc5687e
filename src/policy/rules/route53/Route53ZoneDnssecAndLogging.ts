import { defineRule, fail, notApplicable, pass } from '../../types';
import { blocks } from '../../values';

export const Route53ZoneDnssecAndLogging = defineRule({
  id: 'MLF-R53-2',
  name: 'Route53ZoneDnssecAndLogging',
  severity: 'medium',
  controls: ['R53-ZONE'],
  scanners: { checkov: ['CKV2_AWS_38', 'CKV2_AWS_39'], kics: ['7dbba512-e244-42dc-98bb-422339827967'] },
  resourceTypes: ['aws_route53_zone'],
  info: 'A public hosted zone created here has DNSSEC signing and query logging.',
  explanation: 'The stack normally uses an existing zone by id; if it creates one, it must be signed and logged.',
  evaluate(zone, stack) {
    if (blocks(zone.config.vpc).length > 0) return notApplicable('private zone');
    const missing = [
      stack.referencing(zone, ['aws_route53_hosted_zone_dnssec'], 'hosted_zone_id').length === 0 ? 'aws_route53_hosted_zone_dnssec' : undefined,
      stack.referencing(zone, ['aws_route53_query_log'], 'zone_id').length === 0 ? 'aws_route53_query_log' : undefined,
    ].filter(Boolean);
    return missing.length > 0 ? fail(`missing ${missing.join(', ')}`) : pass();
  },
});
