import { defineRule, fail, pass } from '../../types';

export const VpcNetworkFirewall = defineRule({
  id: 'MLF-VPC-4',
  name: 'VpcNetworkFirewall',
  severity: 'medium',
  controls: ['VPC-NETWORK-FIREWALL'],
  scanners: { kics: ['fd632aaf-b8a1-424d-a4d1-0de22fd3247a'] },
  resourceTypes: ['aws_vpc'],
  info: 'An AWS Network Firewall protects the VPC.',
  explanation: 'KICS expects an aws_networkfirewall_firewall per VPC. It costs about USD 0.40/h per AZ endpoint plus data; justify with compensating controls (private subnets, SG-to-SG rules, WAF, narrow egress) or add it.',
  evaluate(vpc, stack) {
    return stack.referencing(vpc, ['aws_networkfirewall_firewall'], 'vpc_id').length > 0 ? pass() : fail('no aws_networkfirewall_firewall references this VPC');
  },
});
