import { defineRule } from '../../types';
import { requireOneOf } from '../../values';

export const EcsAwsvpcNetworkMode = defineRule({
  id: 'MLF-ECS-13',
  name: 'EcsAwsvpcNetworkMode',
  severity: 'high',
  controls: ['ECS-AWSVPC'],
  scanners: { kics: ['9f4a9409-9c60-4671-be96-9716dbf63db1'], terrascan: ['AC_AWS_0088'] },
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'network_mode is awsvpc.',
  explanation: 'awsvpc gives each task its own ENI and security group, which the SG-to-SG rules rely on.',
  evaluate(task) {
    return requireOneOf(task.config.network_mode, ['awsvpc'], 'network_mode');
  },
});
