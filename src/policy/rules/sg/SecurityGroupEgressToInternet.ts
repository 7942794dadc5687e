import { defineRule, fail, pass } from '../../types';
import { describe, fromInternet, rulesOf, SG_RULE_TYPES } from '../../security-group-rules';

export const SecurityGroupEgressToInternet = defineRule({
  id: 'MLF-SG-10',
  name: 'SecurityGroupEgressToInternet',
  severity: 'medium',
  controls: ['SG-NO-ALL-EGRESS'],
  scanners: { trivy: ['AVD-AWS-0104'] },
  resourceTypes: SG_RULE_TYPES,
  info: 'No egress to 0.0.0.0/0 or ::/0 on any port.',
  explanation: 'Trivy flags any internet egress (CRITICAL). The ALB must reach the IdP token/userinfo endpoints and tasks reach AWS APIs through NAT; suppress those with the reason, or add VPC endpoints and drop internet egress.',
  evaluate(resource, stack) {
    const bad = rulesOf(resource, stack).filter((r) => r.direction === 'egress' && fromInternet(r));
    return bad.length > 0 ? fail(bad.map(describe).join('; ')) : pass();
  },
});
