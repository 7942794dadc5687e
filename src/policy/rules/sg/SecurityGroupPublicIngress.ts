import { defineRule, fail, pass } from '../../types';
import { describe, fromInternet, rulesOf, SG_RULE_TYPES } from '../../security-group-rules';

export const SecurityGroupPublicIngress = defineRule({
  id: 'MLF-SG-6',
  name: 'SecurityGroupPublicIngress',
  severity: 'high',
  controls: ['SG-PUBLIC-INGRESS-ANY'],
  scanners: { kics: ['4728cd65-a20c-49da-8b31-9c08b423e4db', '381c3f2a-ef6f-4eff-99f7-b169cda3422c'], terrascan: ['AC_AWS_0229'] },
  resourceTypes: SG_RULE_TYPES,
  info: 'No ingress from 0.0.0.0/0 or ::/0 on any port.',
  explanation: 'What KICS and Terrascan flag for every public rule (rule resources of the aws_vpc_security_group_ingress_rule form included here). The ALB group is the intended public entry point and is suppressed with that reason.',
  evaluate(resource, stack) {
    const bad = rulesOf(resource, stack).filter((r) => r.direction === 'ingress' && fromInternet(r));
    return bad.length > 0 ? fail(bad.map(describe).join('; ')) : pass();
  },
});
