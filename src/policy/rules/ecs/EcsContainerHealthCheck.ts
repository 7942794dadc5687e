import { defineRule } from '../../types';
import { blocks, Json } from '../../values';
import { everyContainer } from './containers';

export const EcsContainerHealthCheck = defineRule({
  id: 'MLF-ECS-18',
  name: 'EcsContainerHealthCheck',
  severity: 'low',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'Essential containers that serve a port define a healthCheck.',
  explanation: 'ECS replaces a container that hangs only if it has a health check; one-off containers without ports (db-upgrade) are exempt.',
  evaluate(task) {
    return everyContainer(task, (c) => {
      if (c.essential === false || blocks(c.portMappings).length === 0) return undefined;
      const hc = c.healthCheck as Json | undefined;
      return hc && Array.isArray(hc.command) && hc.command.length > 0 ? undefined : 'no healthCheck command';
    });
  },
});
