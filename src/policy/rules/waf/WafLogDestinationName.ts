import { defineRule, fail, notApplicable, pass, unknown } from '../../types';
import { isExpression } from '../../values';

export const WafLogDestinationName = defineRule({
  id: 'MLF-WAF-5',
  name: 'WafLogDestinationName',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_wafv2_web_acl_logging_configuration'],
  info: 'A CloudWatch Logs destination of WAF logging is a log group whose name starts with aws-waf-logs-.',
  explanation: 'WAF delivers only to log groups (and buckets, streams) named aws-waf-logs-*; any other name fails at apply.',
  evaluate(config, stack) {
    const groups = stack.resolve(config.config.log_destination_configs).filter((r) => r.type === 'aws_cloudwatch_log_group');
    if (groups.length === 0) return notApplicable('the destination is not a log group of this stack');
    const names = groups.map((g) => g.config.name);
    if (names.some(isExpression)) return unknown(`log group name is an expression: ${names.join(', ')}`);
    const bad = names.filter((n) => typeof n !== 'string' || !n.startsWith('aws-waf-logs-'));
    return bad.length > 0 ? fail(`log group ${bad.map(String).join(', ')} does not start with aws-waf-logs-`) : pass();
  },
});
