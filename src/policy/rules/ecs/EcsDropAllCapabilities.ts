import { defineRule } from '../../types';
import { Json, strings } from '../../values';
import { everyContainer } from './containers';

export const EcsDropAllCapabilities = defineRule({
  id: 'MLF-ECS-17',
  name: 'EcsDropAllCapabilities',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'Every container drops ALL Linux capabilities (linuxParameters.capabilities.drop).',
  explanation: 'MLflow needs no capabilities; dropping them all limits what a compromised process can do.',
  evaluate(task) {
    return everyContainer(task, (c) => {
      const caps = ((c.linuxParameters as Json | undefined)?.capabilities ?? {}) as Json;
      return strings(caps.drop).includes('ALL') ? undefined : 'linuxParameters.capabilities.drop does not include ALL';
    });
  },
});
