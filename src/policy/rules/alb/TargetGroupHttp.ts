import { defineRule, fail, pass } from '../../types';

export const TargetGroupHttp = defineRule({
  id: 'MLF-ALB-12',
  name: 'TargetGroupHttp',
  severity: 'medium',
  controls: ['TG-NO-HTTP'],
  scanners: { terrascan: ['AC_AWS_0492'] },
  resourceTypes: ['aws_lb_target_group', 'aws_alb_target_group'],
  info: 'The target group protocol is not HTTP.',
  explanation: 'Terrascan flags every HTTP target group. TLS terminating at the ALB with the ALB-to-task hop in private subnets behind SG-to-SG rules is the usual justification; the alternative is HTTPS to a self-signed certificate in the container.',
  evaluate(tg) {
    return (tg.config.protocol ?? 'HTTP') === 'HTTP' && tg.config.target_type !== 'lambda' ? fail('protocol is HTTP') : pass();
  },
});
