import { defineRule, fail, pass } from '../../types';
import { SG_RULE_TYPES } from '../../security-group-rules';

export const SecurityGroupAttached = defineRule({
  id: 'MLF-SG-2',
  name: 'SecurityGroupAttached',
  severity: 'info',
  controls: ['SG-ATTACHED'],
  scanners: { checkov: ['CKV2_AWS_5'], kics: ['4849211b-ac39-479e-ae78-5694d506cb24'] },
  resourceTypes: ['aws_security_group'],
  info: 'The security group is attached to a resource (load balancer, service, database, connector, endpoint).',
  explanation: 'An unattached group is dead configuration that invites reuse with the wrong rules.',
  evaluate(group, stack) {
    const users = stack.resources.filter((r) => !SG_RULE_TYPES.includes(r.type) && r.address !== group.address && stack.refs(r).includes(group.address));
    return users.length > 0 ? pass(`used by ${users.map((u) => u.address).join(', ')}`) : fail('no resource uses this security group');
  },
});
