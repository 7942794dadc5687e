import { defineRule } from '../../types';
import { requireNotTrue } from '../../values';

export const SubnetNoAutoPublicIp = defineRule({
  id: 'MLF-VPC-5',
  name: 'SubnetNoAutoPublicIp',
  severity: 'high',
  controls: ['SUBNET-NO-AUTO-PUBLIC-IP'],
  scanners: { checkov: ['CKV_AWS_130'], trivy: ['AVD-AWS-0164'], kics: ['52f04a44-6bfa-4c41-b1d3-4ae99a2de05c'] },
  resourceTypes: ['aws_subnet'],
  info: 'Subnets do not auto-assign public IPs (map_public_ip_on_launch is not true).',
  explanation: 'The ALB and NAT gateways get their addresses explicitly; nothing else should get a public IP by accident.',
  evaluate(subnet) {
    return requireNotTrue(subnet.config.map_public_ip_on_launch, 'map_public_ip_on_launch');
  },
});
