import { defineRule, fail, notApplicable, pass } from '../../types';
import { firstBlock } from '../../values';
import { isInternetFacing, loadBalancerOf, orderedActions } from './util';

export const AUTHENTICATE_TYPES = ['authenticate-oidc', 'authenticate-cognito'];

export const ListenerAuthenticatesFirst = defineRule({
  id: 'MLF-ALB-13',
  name: 'ListenerAuthenticatesFirst',
  severity: 'critical',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  info: "An internet-facing HTTPS listener's first default action is authenticate-oidc/cognito with on_unauthenticated_request = authenticate, and its last is forward.",
  explanation: 'MLflow has no authentication of its own in this design: the listener is the only gate. "allow" or "deny" as on_unauthenticated_request, or a forward before authentication, serves MLflow to anyone. No scanner inspects these blocks.',
  evaluate(listener, stack) {
    if (listener.config.protocol !== 'HTTPS') return notApplicable(`protocol ${String(listener.config.protocol ?? 'HTTP')}`);
    const lb = loadBalancerOf(listener, stack);
    if (lb && !isInternetFacing(lb)) return notApplicable('the load balancer is internal');
    const actions = orderedActions(listener.config.default_action);
    const first = actions[0];
    if (!first || !AUTHENTICATE_TYPES.includes(String(first.type))) return fail(`the first default action is ${String(first?.type ?? 'missing')}, not authenticate-oidc/cognito`);
    const auth = firstBlock(first.authenticate_oidc) ?? firstBlock(first.authenticate_cognito);
    if (auth?.on_unauthenticated_request !== 'authenticate') return fail(`on_unauthenticated_request is ${JSON.stringify(auth?.on_unauthenticated_request ?? null)}; it must be explicitly "authenticate"`);
    const last = actions[actions.length - 1];
    return actions.length >= 2 && last.type === 'forward' ? pass() : fail(`the last default action is ${String(last.type)}, not forward`);
  },
});
