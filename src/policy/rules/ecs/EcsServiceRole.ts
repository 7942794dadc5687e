import { defineRule, fail, pass } from '../../types';

export const EcsServiceRole = defineRule({
  id: 'MLF-ECS-5',
  name: 'EcsServiceRole',
  severity: 'high',
  controls: ['ECS-SERVICE-ROLE'],
  scanners: { kics: ['3206240f-2e87-4e58-8d24-3e19e7c83d7c'], terrascan: ['AC_AWS_0087'] },
  resourceTypes: ['aws_ecs_service'],
  info: 'The service sets no admin iam_role.',
  explanation: 'awsvpc services use the service-linked role; an explicit admin role is both unneeded and dangerous.',
  evaluate(service) {
    const role = service.config.iam_role;
    return typeof role === 'string' && /admin/i.test(role) ? fail(`iam_role ${role} looks like an admin role`) : pass();
  },
});
