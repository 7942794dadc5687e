import { defineRule, fail, pass, unknown } from '../../types';
import { asNumber, isExpression } from '../../values';

export const ScalingTargetBounds = defineRule({
  id: 'MLF-ASG-1',
  name: 'ScalingTargetBounds',
  severity: 'high',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_appautoscaling_target'],
  info: 'min_capacity >= 1 (>= 2 in production) and max_capacity >= min_capacity.',
  explanation: 'Scaling to zero is an outage; production needs two tasks in two AZs. No scanner checks it.',
  evaluate(target, stack) {
    const { min_capacity: minRaw, max_capacity: maxRaw } = target.config;
    if (isExpression(minRaw) || isExpression(maxRaw)) return unknown('capacity is an expression');
    const min = asNumber(minRaw);
    const max = asNumber(maxRaw);
    if (min === undefined || max === undefined) return fail('min_capacity and max_capacity must be set');
    const floor = stack.production ? 2 : 1;
    if (min < floor) return fail(`min_capacity is ${min}; at least ${floor}${stack.production ? ' in production' : ''}`);
    return max >= min ? pass() : fail(`max_capacity ${max} is below min_capacity ${min}`);
  },
});
