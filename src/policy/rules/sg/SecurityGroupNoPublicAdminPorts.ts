import { defineRule, fail, pass } from '../../types';
import { coversPort, describe, fromInternet, rulesOf, SG_RULE_TYPES } from '../../security-group-rules';

export const SecurityGroupNoPublicAdminPorts = defineRule({
  id: 'MLF-SG-3',
  name: 'SecurityGroupNoPublicAdminPorts',
  severity: 'critical',
  controls: ['SG-NO-PUBLIC-SSH-RDP'],
  scanners: { checkov: ['CKV_AWS_24', 'CKV_AWS_25'], trivy: ['AVD-AWS-0107'], kics: ['65905cec-d691-4320-b320-2000436cb696', '151187cb-0efc-481c-babd-ad24e3c9bc22'] },
  resourceTypes: SG_RULE_TYPES,
  info: 'No ingress to SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0.',
  explanation: 'Fargate tasks need no SSH; use ECS Exec (logged) if a shell is ever needed.',
  evaluate(resource, stack) {
    const bad = rulesOf(resource, stack).filter((r) => r.direction === 'ingress' && fromInternet(r) && (coversPort(r, 22) || coversPort(r, 3389)));
    return bad.length > 0 ? fail(bad.map(describe).join('; ')) : pass();
  },
});
