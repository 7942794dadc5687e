import { defineRule, fail, notApplicable, pass } from '../../types';
import { AUTHENTICATE_TYPES } from './ListenerAuthenticatesFirst';
import { isInternetFacing, loadBalancerOf, orderedActions } from './util';

export const ListenerRuleAuthenticated = defineRule({
  id: 'MLF-ALB-15',
  name: 'ListenerRuleAuthenticated',
  severity: 'critical',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_lb_listener_rule', 'aws_alb_listener_rule'],
  info: 'A listener rule of an internet-facing load balancer that forwards authenticates first (on_unauthenticated_request = authenticate).',
  explanation: 'A path or host rule that forwards without authentication opens MLflow (e.g. /api/*) to the internet. Machine clients need an authenticated path instead (API Gateway with IAM, or an internal listener).',
  evaluate(rule, stack) {
    const listener = stack.target(rule.config.listener_arn, 'aws_lb_listener', 'aws_alb_listener');
    const lb = listener ? loadBalancerOf(listener, stack) : undefined;
    if (lb && !isInternetFacing(lb)) return notApplicable('the load balancer is internal');
    const actions = orderedActions(rule.config.action);
    const forward = actions.findIndex((a) => a.type === 'forward');
    if (forward < 0) return notApplicable('the rule does not forward');
    const auth = actions.findIndex((a) => AUTHENTICATE_TYPES.includes(String(a.type)));
    if (auth < 0 || auth > forward) return fail('the rule forwards without an authenticate action before it');
    const block = (actions[auth].authenticate_oidc ?? actions[auth].authenticate_cognito) as Record<string, unknown> | undefined;
    const mode = Array.isArray(block) ? (block[0] as Record<string, unknown>)?.on_unauthenticated_request : block?.on_unauthenticated_request;
    return mode === 'authenticate' ? pass() : fail(`on_unauthenticated_request is ${JSON.stringify(mode ?? null)}; it must be "authenticate"`);
  },
});
