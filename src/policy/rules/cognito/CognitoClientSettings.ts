import { defineRule, fail, pass } from '../../types';
import { asBool, strings } from '../../values';

export const CognitoClientSettings = defineRule({
  id: 'MLF-COG-4',
  name: 'CognitoClientSettings',
  severity: 'high',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_cognito_user_pool_client'],
  info: 'The client has a secret, allows only the code flow, calls back only to https://<host>/oauth2/idpresponse, and prevents user-existence errors.',
  explanation: 'The ALB is a confidential client: implicit flow, foreign callbacks or username enumeration weaken the only gate in front of MLflow.',
  evaluate(client) {
    const c = client.config;
    const problems: string[] = [];
    if (asBool(c.generate_secret) !== true) problems.push('generate_secret is not true');
    const flows = strings(c.allowed_oauth_flows);
    if (flows.length !== 1 || flows[0] !== 'code') problems.push(`allowed_oauth_flows is ${JSON.stringify(flows)}; only ["code"]`);
    const callbacks = strings(c.callback_urls);
    const badCallbacks = callbacks.filter((u) => !/^https:\/\/[^/]+\/oauth2\/idpresponse$/.test(u));
    if (callbacks.length === 0 || badCallbacks.length > 0) problems.push(`callback_urls must be https://<host>/oauth2/idpresponse only (got ${JSON.stringify(callbacks)})`);
    if (c.prevent_user_existence_errors !== 'ENABLED') problems.push('prevent_user_existence_errors is not ENABLED');
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
