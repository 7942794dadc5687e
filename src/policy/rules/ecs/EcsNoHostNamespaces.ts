import { defineRule } from '../../types';
import { everyContainer } from './containers';

export const EcsNoHostNamespaces = defineRule({
  id: 'MLF-ECS-9',
  name: 'EcsNoHostNamespaces',
  severity: 'high',
  controls: ['ECS-NO-HOST-PID'],
  scanners: { checkov: ['CKV_AWS_335'] },
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'No container or task shares the host PID or IPC namespace.',
  explanation: 'Host namespaces let a container see and signal host processes.',
  evaluate(task) {
    if (task.config.pid_mode === 'host' || task.config.ipc_mode === 'host') return everyContainer(task, () => 'the task uses the host pid/ipc mode');
    return everyContainer(task, (c) => (c.pidMode === 'host' || c.ipcMode === 'host' ? 'pidMode/ipcMode is host' : undefined));
  },
});
