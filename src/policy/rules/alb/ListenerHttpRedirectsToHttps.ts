import { defineRule, fail, pass, unknown } from '../../types';
import { isExpression } from '../../values';
import { orderedActions, redirectTarget } from './util';

export const ListenerHttpRedirectsToHttps = defineRule({
  id: 'MLF-ALB-8',
  name: 'ListenerHttpRedirectsToHttps',
  severity: 'critical',
  controls: ['LISTENER-HTTPS'],
  scanners: {
    checkov: ['CKV_AWS_2', 'CKV2_AWS_20'],
    trivy: ['AVD-AWS-0054'],
    kics: ['de7f5e83-da88-4046-871f-ea18504b1d43'],
    terrascan: ['AC_AWS_0491'],
  },
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  info: 'A plain-HTTP listener has exactly one default action: redirect to HTTPS on port 443.',
  explanation: 'Nothing may be served over HTTP, not even the login redirect. Terrascan AC_AWS_0491 fires on any port-80 listener, redirect or not (scanner quirk): dropping port 80 avoids it at the cost of users typing http://.',
  evaluate(listener) {
    const protocol = listener.config.protocol ?? (listener.config.port === 443 ? 'HTTPS' : 'HTTP');
    if (isExpression(protocol)) return unknown(`protocol is the expression ${protocol}`);
    if (protocol !== 'HTTP') return pass(`protocol ${String(protocol)}`);
    const actions = orderedActions(listener.config.default_action);
    if (actions.length !== 1 || actions[0].type !== 'redirect') return fail(`an HTTP listener must only redirect; default actions: ${actions.map((a) => a.type).join(', ') || 'none'}`);
    const target = redirectTarget(actions[0]);
    if (target?.protocol !== 'HTTPS') return fail(`redirect protocol is ${String(target?.protocol)}; it must be HTTPS`);
    if (target.port !== undefined && String(target.port) !== '443') return fail(`redirect port is ${String(target.port)}; it must be 443`);
    return pass();
  },
});
