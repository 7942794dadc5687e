import { defineRule, fail, pass } from '../../types';
import { firstBlock } from '../../values';

export const Route53RecordTargets = defineRule({
  id: 'MLF-R53-1',
  name: 'Route53RecordTargets',
  severity: 'medium',
  controls: ['R53-RECORD'],
  scanners: { checkov: ['CKV2_AWS_23'], kics: ['25db74bf-fa3b-44da-934e-8c3e005c0453'], terrascan: ['AC_AWS_0205'] },
  resourceTypes: ['aws_route53_record'],
  info: 'A record either aliases a resource of this stack or has a non-empty records list.',
  explanation: 'A dangling record (alias to nothing, empty records) invites subdomain takeover. Terrascan AC_AWS_0205 flags every alias record (scanner false positive).',
  evaluate(record, stack) {
    const alias = firstBlock(record.config.alias);
    if (alias) return stack.resolve(alias.name).length > 0 ? pass() : fail('the alias does not point at a resource of this stack');
    const records = record.config.records;
    return Array.isArray(records) && records.length > 0 ? pass() : fail('records is empty and there is no alias');
  },
});
