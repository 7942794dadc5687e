import { defineRule, fail, pass } from '../../types';
import { firstBlock, Json } from '../../values';
import { aclRules, countOverrides, groupCounts, managedStatement } from './util';

/** Managed rules known to block legitimate MLflow traffic, and why. */
const MLFLOW_BREAKERS: readonly { group: string; rule: string; why: string }[] = [
  { group: 'AWSManagedRulesAnonymousIpList', rule: 'HostingProviderIPList', why: 'blocks MLflow clients on EC2, SageMaker and Colab' },
  { group: 'AWSManagedRulesCommonRuleSet', rule: 'SizeRestrictions_BODY', why: 'blocks log-batch calls and proxied artifact uploads over 8 KB' },
];

/** A scope-down statement narrows where the group applies; accept it as a deliberate scoping. */
function scopedDown(rule: Json): boolean {
  return !!firstBlock(managedStatement(rule)?.scope_down_statement);
}

export const WafAllowsMlflowClients = defineRule({
  id: 'MLF-WAF-8',
  name: 'WafAllowsMlflowClients',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_wafv2_web_acl'],
  info: 'Managed rules that break MLflow (AnonymousIpList HostingProviderIPList, CommonRuleSet SizeRestrictions_BODY) are overridden to count or scoped down.',
  explanation: 'Both are documented gotchas (RULES.md): left blocking, training jobs on cloud hosts and large run payloads get 403s from the WAF.',
  evaluate(acl) {
    const problems = MLFLOW_BREAKERS.filter((b) =>
      aclRules(acl)
        .filter((r) => managedStatement(r)?.name === b.group)
        .some((rule) => !groupCounts(rule) && !countOverrides(rule).includes(b.rule) && !scopedDown(rule)),
    ).map((b) => `${b.group} ${b.rule} blocks: it ${b.why}`);
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
