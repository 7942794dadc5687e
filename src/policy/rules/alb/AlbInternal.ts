import { defineRule, fail, notApplicable, pass, unknown } from '../../types';
import { asBool, isExpression } from '../../values';

export const AlbInternal = defineRule({
  id: 'MLF-ALB-5',
  name: 'AlbInternal',
  severity: 'high',
  controls: ['ALB-NOT-PUBLIC'],
  scanners: { trivy: ['AVD-AWS-0053'] },
  resourceTypes: ['aws_lb', 'aws_alb'],
  info: 'The load balancer is internal.',
  explanation: 'Trivy flags every internet-facing load balancer. The MLflow UI entry point is public by design; suppress it there naming the compensating controls (authentication at the listener, WAF, TLS 1.2+, access logs).',
  evaluate(lb) {
    if (lb.config.load_balancer_type === 'gateway') return notApplicable('gateway load balancer');
    if (isExpression(lb.config.internal)) return unknown(`internal is the expression ${lb.config.internal}`);
    return asBool(lb.config.internal) === true ? pass() : fail('internal is not true: the load balancer is internet-facing');
  },
});
