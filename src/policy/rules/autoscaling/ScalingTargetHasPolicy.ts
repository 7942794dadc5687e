import { defineRule, fail, pass } from '../../types';

export const ScalingTargetHasPolicy = defineRule({
  id: 'MLF-ASG-2',
  name: 'ScalingTargetHasPolicy',
  severity: 'low',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_appautoscaling_target'],
  info: 'An aws_appautoscaling_policy references the scaling target.',
  explanation: 'A target without a policy never scales; it only clamps the desired count.',
  evaluate(target, stack) {
    const policies = stack.ofType('aws_appautoscaling_policy').filter((p) => stack.refs(p).includes(target.address));
    return policies.length > 0 ? pass() : fail('no aws_appautoscaling_policy references this target');
  },
});
