import { defineRule, fail, pass } from '../../types';
import { firstBlock } from '../../values';
import { aclRules, managedStatement } from './util';

export const WafRuleActions = defineRule({
  id: 'MLF-WAF-3',
  name: 'WafRuleActions',
  severity: 'medium',
  controls: ['WAF-RULE-ACTIONS'],
  scanners: { checkov: ['CKV_AWS_342'] },
  resourceTypes: ['aws_wafv2_web_acl'],
  info: 'Every rule has an action (own statements) or override_action (rule groups), and the ACL a default_action.',
  explanation: 'WAF rejects or silently defaults rules without actions; stating them makes block versus count reviewable.',
  evaluate(acl) {
    const problems: string[] = [];
    if (!firstBlock(acl.config.default_action)) problems.push('no default_action');
    for (const r of aclRules(acl)) {
      const group = managedStatement(r) || firstBlock(firstBlock(r.statement)?.rule_group_reference_statement);
      if (group ? !firstBlock(r.override_action) : !firstBlock(r.action)) problems.push(`rule ${String(r.name)} has no ${group ? 'override_action' : 'action'}`);
    }
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
