import { defineRule } from '../../types';
import { firstBlock, requireNotTrue } from '../../values';

export const EcsNoPublicIp = defineRule({
  id: 'MLF-ECS-4',
  name: 'EcsNoPublicIp',
  severity: 'high',
  controls: ['ECS-NO-PUBLIC-IP'],
  scanners: { checkov: ['CKV_AWS_333'] },
  resourceTypes: ['aws_ecs_service'],
  info: 'Tasks get no public IP (assign_public_ip is not true).',
  explanation: 'Tasks run in private subnets behind the ALB and reach AWS through NAT.',
  evaluate(service) {
    return requireNotTrue(firstBlock(service.config.network_configuration)?.assign_public_ip, 'network_configuration.assign_public_ip');
  },
});
