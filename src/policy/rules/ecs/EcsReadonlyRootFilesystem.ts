import { defineRule } from '../../types';
import { asBool } from '../../values';
import { everyContainer } from './containers';

export const EcsReadonlyRootFilesystem = defineRule({
  id: 'MLF-ECS-7',
  name: 'EcsReadonlyRootFilesystem',
  severity: 'medium',
  controls: ['ECS-READONLY-ROOTFS'],
  scanners: { checkov: ['CKV_AWS_336'] },
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'Every container sets readonlyRootFilesystem = true.',
  explanation: 'MLflow and gunicorn need only a writable scratch directory: mount a task volume there and keep the image read-only.',
  evaluate(task) {
    return everyContainer(task, (c) => (asBool(c.readonlyRootFilesystem) === true ? undefined : 'readonlyRootFilesystem is not true'));
  },
});
