import { defineRule, fail, pass } from '../../types';
import { asBool, firstBlock, Json } from '../../values';
import { aclRules } from './util';

function visible(owner: Json): boolean {
  const v = firstBlock(owner.visibility_config);
  return !!v && asBool(v.cloudwatch_metrics_enabled) === true && asBool(v.sampled_requests_enabled) === true;
}

export const WafVisibilityConfig = defineRule({
  id: 'MLF-WAF-7',
  name: 'WafVisibilityConfig',
  severity: 'low',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_wafv2_web_acl'],
  info: 'The web ACL and every rule enable CloudWatch metrics and sampled requests.',
  explanation: 'Metrics feed alarms on blocked requests; sampled requests show which rule blocked an MLflow client.',
  evaluate(acl) {
    const bad = [acl.config, ...aclRules(acl)].filter((o) => !visible(o)).map((o) => (o === acl.config ? 'the web ACL' : `rule ${String(o.name)}`));
    return bad.length > 0 ? fail(`${bad.join(', ')} lack cloudwatch_metrics_enabled/sampled_requests_enabled`) : pass();
  },
});
