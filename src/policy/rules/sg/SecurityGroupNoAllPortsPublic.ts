import { defineRule, fail, pass } from '../../types';
import { describe, fromInternet, rulesOf, SG_RULE_TYPES } from '../../security-group-rules';

export const SecurityGroupNoAllPortsPublic = defineRule({
  id: 'MLF-SG-7',
  name: 'SecurityGroupNoAllPortsPublic',
  severity: 'critical',
  controls: ['SG-NO-ALL-PORTS-PUBLIC'],
  scanners: { checkov: ['CKV_AWS_277'], terrascan: ['AC_AWS_0231', 'AC_AWS_0275'] },
  resourceTypes: SG_RULE_TYPES,
  info: 'No all-protocol or 0-65535 ingress from the internet.',
  explanation: 'An all-ports rule exposes every listening process, including ones added later.',
  evaluate(resource, stack) {
    const bad = rulesOf(resource, stack).filter((r) => r.direction === 'ingress' && fromInternet(r) && (r.protocol === '-1' || (r.fromPort <= 0 && r.toPort >= 65535)));
    return bad.length > 0 ? fail(bad.map(describe).join('; ')) : pass();
  },
});
