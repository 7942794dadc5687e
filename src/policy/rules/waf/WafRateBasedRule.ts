import { defineRule, fail, pass } from '../../types';
import { firstBlock } from '../../values';
import { aclRules } from './util';

export const WafRateBasedRule = defineRule({
  id: 'MLF-WAF-6',
  name: 'WafRateBasedRule',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_wafv2_web_acl'],
  info: 'The web ACL has a blocking rate-based rule.',
  explanation: 'A per-IP rate limit is the compensating control for Shield Advanced and slows credential stuffing against the login flow.',
  evaluate(acl) {
    const rate = aclRules(acl).find((r) => firstBlock(firstBlock(r.statement)?.rate_based_statement));
    if (!rate) return fail('no rate_based_statement rule');
    return firstBlock(rate.action)?.count !== undefined ? fail(`rate rule ${String(rate.name)} only counts`) : pass();
  },
});
