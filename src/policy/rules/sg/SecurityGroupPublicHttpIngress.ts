import { defineRule, fail, pass } from '../../types';
import { coversPort, describe, fromInternet, rulesOf, SG_RULE_TYPES } from '../../security-group-rules';

export const SecurityGroupPublicHttpIngress = defineRule({
  id: 'MLF-SG-5',
  name: 'SecurityGroupPublicHttpIngress',
  severity: 'medium',
  controls: ['SG-NO-PUBLIC-80'],
  scanners: { checkov: ['CKV_AWS_260'], kics: ['ffac8a12-322e-42c1-b9b9-81ff85c39ef7'], terrascan: ['AC_AWS_0228'] },
  resourceTypes: SG_RULE_TYPES,
  info: 'No ingress covering port 80 from the internet.',
  explanation: 'Plain HTTP from the internet is allowed only for a listener that redirects to HTTPS; suppress on the ALB group with that reason (or drop the port-80 listener).',
  evaluate(resource, stack) {
    const bad = rulesOf(resource, stack).filter((r) => r.direction === 'ingress' && fromInternet(r) && coversPort(r, 80));
    return bad.length > 0 ? fail(bad.map(describe).join('; ')) : pass();
  },
});
