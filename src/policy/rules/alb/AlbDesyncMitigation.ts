import { defineRule, notApplicable } from '../../types';
import { requireOneOf } from '../../values';

export const AlbDesyncMitigation = defineRule({
  id: 'MLF-ALB-4',
  name: 'AlbDesyncMitigation',
  severity: 'medium',
  controls: ['ALB-DESYNC'],
  scanners: { checkov: ['CKV_AWS_328'] },
  resourceTypes: ['aws_lb', 'aws_alb'],
  info: 'desync_mitigation_mode is explicitly defensive or strictest.',
  explanation: '"monitor" lets ambiguous (smuggling-prone) requests through; state the mode explicitly.',
  evaluate(lb) {
    const type = lb.config.load_balancer_type ?? 'application';
    if (type !== 'application') return notApplicable(`load_balancer_type is ${String(type)}`);
    return requireOneOf(lb.config.desync_mitigation_mode, ['defensive', 'strictest'], 'desync_mitigation_mode');
  },
});
