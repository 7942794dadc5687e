import { defineRule, fail, notApplicable, pass } from '../../types';
import { asNumber, blocks, isExpression, Json } from '../../values';

/** Longest accepted ALB authentication session: one day (the ALB default is 7 days). */
export const MAX_SESSION_TIMEOUT_SECONDS = 86400;

const ENDPOINTS = ['issuer', 'authorization_endpoint', 'token_endpoint', 'user_info_endpoint'];

function authBlocks(actions: Json[]): { kind: string; block: Json }[] {
  return actions.flatMap((a) => [
    ...blocks(a.authenticate_oidc).map((block) => ({ kind: 'authenticate_oidc', block })),
    ...blocks(a.authenticate_cognito).map((block) => ({ kind: 'authenticate_cognito', block })),
  ]);
}

export const ListenerAuthenticationSettings = defineRule({
  id: 'MLF-ALB-14',
  name: 'ListenerAuthenticationSettings',
  severity: 'high',
  controls: ['NO-HARDCODED-SECRETS'],
  scanners: { kics: ['a88baa34-e2ad-44ea-ad6f-8cac87bc7c71'] },
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener', 'aws_lb_listener_rule', 'aws_alb_listener_rule'],
  info: `Authenticate actions use https:// OIDC endpoints, a session_timeout of at most ${MAX_SESSION_TIMEOUT_SECONDS} s, and a client_secret that is not a literal.`,
  explanation: 'An http:// endpoint leaks the token exchange; the 7-day default session outlives a revoked user by a week; a literal client secret lands in git and in cdk.tf.json (use the sensitive variable, or Cognito).',
  evaluate(resource) {
    const found = authBlocks(blocks(resource.config.default_action ?? resource.config.action));
    if (found.length === 0) return notApplicable('no authenticate action');
    const problems: string[] = [];
    for (const { kind, block } of found) {
      if (kind === 'authenticate_oidc') {
        for (const e of ENDPOINTS) {
          const v = block[e];
          if (typeof v !== 'string' || (!isExpression(v) && !v.startsWith('https://'))) problems.push(`${kind}.${e} is ${JSON.stringify(v ?? null)}, not an https:// URL`);
        }
        const secret = block.client_secret;
        if (typeof secret === 'string' && secret !== '' && !isExpression(secret)) problems.push(`${kind}.client_secret is a literal; use a sensitive variable`);
      }
      const timeout = asNumber(block.session_timeout);
      if (timeout === undefined) problems.push(`${kind}.session_timeout is not set (the ALB default is 604800 s)`);
      else if (timeout > MAX_SESSION_TIMEOUT_SECONDS) problems.push(`${kind}.session_timeout is ${timeout} s; at most ${MAX_SESSION_TIMEOUT_SECONDS}`);
    }
    const cognito = found.find((f) => f.kind === 'authenticate_cognito');
    if (cognito && !cognito.block.user_pool_arn) problems.push('authenticate_cognito.user_pool_arn is not set');
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
