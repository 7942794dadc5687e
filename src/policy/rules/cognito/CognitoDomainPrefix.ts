import { defineRule, fail, pass, unknown } from '../../types';
import { isExpression } from '../../values';

export const CognitoDomainPrefix = defineRule({
  id: 'MLF-COG-5',
  name: 'CognitoDomainPrefix',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_cognito_user_pool_domain'],
  info: 'A prefix domain avoids the reserved words aws, amazon and cognito; a custom domain has a certificate_arn.',
  explanation: 'Cognito rejects reserved words at apply; a custom domain without a certificate cannot serve the hosted UI over TLS.',
  evaluate(domain) {
    const d = domain.config.domain;
    if (isExpression(d)) return unknown(`domain is the expression ${d}`);
    const name = String(d ?? '');
    if (name.includes('.')) return domain.config.certificate_arn ? pass() : fail('custom domain without certificate_arn');
    const reserved = ['aws', 'amazon', 'cognito'].filter((w) => name.toLowerCase().includes(w));
    return reserved.length > 0 ? fail(`domain prefix ${name} contains reserved word(s) ${reserved.join(', ')}`) : pass();
  },
});
