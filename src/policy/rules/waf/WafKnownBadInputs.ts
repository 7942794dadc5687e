import { defineRule, fail, pass } from '../../types';
import { blocks } from '../../values';
import { countOverrides, groupCounts, managedRule, managedStatement } from './util';

export const WafKnownBadInputs = defineRule({
  id: 'MLF-WAF-1',
  name: 'WafKnownBadInputs',
  severity: 'high',
  controls: ['WAF-LOG4J'],
  scanners: { checkov: ['CKV_AWS_192'] },
  resourceTypes: ['aws_wafv2_web_acl'],
  info: 'The web ACL uses AWSManagedRulesKnownBadInputsRuleSet with override_action none (not count) and does not exclude or count Log4JRCE.',
  explanation: 'The group blocks Log4Shell and other exploit payloads only if it is not in count mode; checkov inspects only the legacy excluded_rule, this rule also catches rule_action_override.',
  evaluate(acl) {
    const rule = managedRule(acl, 'AWSManagedRulesKnownBadInputsRuleSet');
    if (!rule) return fail('no AWSManagedRulesKnownBadInputsRuleSet rule');
    if (groupCounts(rule)) return fail('override_action is count: the group only counts');
    const excluded = blocks(managedStatement(rule)?.excluded_rule).map((e) => e.name);
    if (excluded.includes('Log4JRCE') || countOverrides(rule).some((n) => n.startsWith('Log4JRCE'))) return fail('Log4JRCE is excluded or overridden to count');
    return pass();
  },
});
