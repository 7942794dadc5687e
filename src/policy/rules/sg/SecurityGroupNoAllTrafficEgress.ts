import { defineRule, fail, pass } from '../../types';
import { describe, fromInternet, rulesOf, SG_RULE_TYPES } from '../../security-group-rules';

export const SecurityGroupNoAllTrafficEgress = defineRule({
  id: 'MLF-SG-9',
  name: 'SecurityGroupNoAllTrafficEgress',
  severity: 'high',
  controls: ['SG-NO-ALL-EGRESS'],
  scanners: { checkov: ['CKV_AWS_382'] },
  resourceTypes: SG_RULE_TYPES,
  info: 'No all-protocol egress to 0.0.0.0/0 or ::/0.',
  explanation: "Terraform's usual allow-all egress lets a compromised task reach anything; allow tcp/443 and the database port only.",
  evaluate(resource, stack) {
    const bad = rulesOf(resource, stack).filter((r) => r.direction === 'egress' && fromInternet(r) && (r.protocol === '-1' || (r.fromPort <= 0 && r.toPort >= 65535)));
    return bad.length > 0 ? fail(bad.map(describe).join('; ')) : pass();
  },
});
