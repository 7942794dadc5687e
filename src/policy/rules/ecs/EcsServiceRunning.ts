import { defineRule, fail, pass, unknown } from '../../types';
import { asNumber, isExpression } from '../../values';

export const EcsServiceRunning = defineRule({
  id: 'MLF-ECS-6',
  name: 'EcsServiceRunning',
  severity: 'medium',
  controls: ['ECS-SERVICE-RUNNING'],
  scanners: { kics: ['91f16d09-689e-4926-aca7-155157f634ed'] },
  resourceTypes: ['aws_ecs_service'],
  info: 'A replica service runs at least one task (two in production) and sets both deployment percentages.',
  explanation: 'desired_count 0 is an outage; production needs two tasks across AZs. Explicit deployment percentages keep rolling deploys at full capacity.',
  evaluate(service, stack) {
    if (service.config.scheduling_strategy === 'DAEMON') return pass('daemon service');
    const count = service.config.desired_count;
    if (isExpression(count)) return unknown(`desired_count is the expression ${count}`);
    const n = asNumber(count) ?? 1;
    const min = stack.production ? 2 : 1;
    const problems: string[] = [];
    if (n < min) problems.push(`desired_count is ${n}; at least ${min}${stack.production ? ' in production' : ''}`);
    if (service.config.deployment_minimum_healthy_percent === undefined || service.config.deployment_maximum_percent === undefined) problems.push('deployment_minimum_healthy_percent and deployment_maximum_percent must be set');
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
