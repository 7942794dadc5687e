import { defineRule, fail, pass } from '../../types';

export const EcsSeparateRoles = defineRule({
  id: 'MLF-ECS-10',
  name: 'EcsSeparateRoles',
  severity: 'medium',
  controls: ['ECS-SEPARATE-ROLES'],
  scanners: { checkov: ['CKV_AWS_249'] },
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'The task and execution roles are both set and different.',
  explanation: 'The execution role pulls images and reads secrets for ECS; the application must not hold those permissions.',
  evaluate(task) {
    const { execution_role_arn: exec, task_role_arn: role } = task.config;
    if (!exec || !role) return fail('execution_role_arn and task_role_arn must both be set');
    return exec === role ? fail('execution_role_arn equals task_role_arn') : pass();
  },
});
