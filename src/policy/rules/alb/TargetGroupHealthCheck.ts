import { defineRule, fail, notApplicable, pass } from '../../types';
import { asBool, firstBlock } from '../../values';

export const TargetGroupHealthCheck = defineRule({
  id: 'MLF-ALB-10',
  name: 'TargetGroupHealthCheck',
  severity: 'medium',
  controls: ['TG-HEALTHCHECK'],
  scanners: { checkov: ['CKV_AWS_261'] },
  resourceTypes: ['aws_lb_target_group', 'aws_alb_target_group'],
  info: 'HTTP/HTTPS target groups have an enabled health check with a path.',
  explanation: 'Without a path the ALB checks "/" implicitly; state it so a broken MLflow is taken out of service.',
  evaluate(tg) {
    const protocol = tg.config.protocol ?? 'HTTP';
    if (protocol !== 'HTTP' && protocol !== 'HTTPS') return notApplicable(`protocol ${String(protocol)}`);
    const hc = firstBlock(tg.config.health_check);
    if (!hc) return fail('no health_check block');
    if (asBool(hc.enabled) === false) return fail('health_check.enabled is false');
    return typeof hc.path === 'string' && hc.path !== '' ? pass() : fail('health_check.path is not set');
  },
});
