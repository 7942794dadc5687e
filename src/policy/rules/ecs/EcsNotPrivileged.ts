import { defineRule } from '../../types';
import { asBool } from '../../values';
import { everyContainer } from './containers';

export const EcsNotPrivileged = defineRule({
  id: 'MLF-ECS-8',
  name: 'EcsNotPrivileged',
  severity: 'critical',
  controls: ['ECS-NOT-PRIVILEGED'],
  scanners: { checkov: ['CKV_AWS_334'] },
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'No container is privileged.',
  explanation: 'checkov CKV_AWS_334 looks for a key "privilege" (sic) and misses "privileged": true; this rule checks the real key (and the misspelt one).',
  evaluate(task) {
    return everyContainer(task, (c) => (asBool(c.privileged) === true || asBool(c.privilege) === true ? 'privileged is true' : undefined));
  },
});
