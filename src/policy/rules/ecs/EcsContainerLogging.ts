import { defineRule } from '../../types';
import { firstBlock, Json } from '../../values';
import { everyContainer } from './containers';

export const EcsContainerLogging = defineRule({
  id: 'MLF-ECS-16',
  name: 'EcsContainerLogging',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'Every container logs with the awslogs driver to a KMS-encrypted log group of this stack.',
  explanation: 'Container output is the only record of MLflow errors and access; the group must be encrypted (MLF-LOGS-1) and retained (MLF-LOGS-2).',
  evaluate(task, stack) {
    return everyContainer(task, (c) => {
      const log = firstBlock(c.logConfiguration) as Json | undefined;
      if (!log || log.logDriver !== 'awslogs') return `logDriver is ${JSON.stringify(log?.logDriver ?? null)}, not awslogs`;
      const options = (log.options ?? {}) as Json;
      const group = stack.target(options['awslogs-group'], 'aws_cloudwatch_log_group');
      if (!group) return 'awslogs-group does not reference a log group of this stack';
      return group.config.kms_key_id ? undefined : `${group.address} is not KMS-encrypted`;
    });
  },
});
