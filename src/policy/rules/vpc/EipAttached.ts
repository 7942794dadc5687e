import { defineRule, fail, pass } from '../../types';

export const EipAttached = defineRule({
  id: 'MLF-VPC-7',
  name: 'EipAttached',
  severity: 'low',
  controls: ['EIP-ATTACHED'],
  scanners: { checkov: ['CKV2_AWS_19'] },
  resourceTypes: ['aws_eip'],
  info: 'Every Elastic IP is attached (NAT gateway allocation_id, instance or association).',
  explanation: 'An unattached EIP is billed and is an unowned public address.',
  evaluate(eip, stack) {
    if (eip.config.instance || eip.config.network_interface) return pass();
    const users = stack.referencing(eip, ['aws_nat_gateway', 'aws_eip_association'], 'allocation_id');
    return users.length > 0 ? pass() : fail('no NAT gateway, instance or association uses this EIP');
  },
});
