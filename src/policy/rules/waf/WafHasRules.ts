import { defineRule, fail, pass } from '../../types';
import { aclRules } from './util';

export const WafHasRules = defineRule({
  id: 'MLF-WAF-2',
  name: 'WafHasRules',
  severity: 'high',
  controls: ['WAF-HAS-RULES'],
  scanners: { checkov: ['CKV_AWS_175'] },
  resourceTypes: ['aws_wafv2_web_acl'],
  info: 'The web ACL has at least one rule.',
  explanation: 'An empty ACL applies only its default action and protects nothing.',
  evaluate(acl) {
    return aclRules(acl).length > 0 ? pass() : fail('the web ACL has no rules');
  },
});
