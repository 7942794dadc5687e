import { defineRule, fail, pass } from '../../types';

export const WafLogging = defineRule({
  id: 'MLF-WAF-4',
  name: 'WafLogging',
  severity: 'medium',
  controls: ['WAF-LOGGING'],
  scanners: { checkov: ['CKV2_AWS_31'] },
  resourceTypes: ['aws_wafv2_web_acl'],
  info: 'An aws_wafv2_web_acl_logging_configuration references the web ACL.',
  explanation: 'Without logs, blocked MLflow clients cannot be diagnosed and attacks are invisible. Consider redacted_fields for the authorization header and cookies.',
  evaluate(acl, stack) {
    return stack.referencing(acl, ['aws_wafv2_web_acl_logging_configuration'], 'resource_arn').length > 0 ? pass() : fail('no logging configuration references this web ACL');
  },
});
