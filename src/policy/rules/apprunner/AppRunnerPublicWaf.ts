import { defineRule, fail, notApplicable, pass } from '../../types';
import { asBool, firstBlock } from '../../values';

export const AppRunnerPublicWaf = defineRule({
  id: 'MLF-APR-6',
  name: 'AppRunnerPublicWaf',
  severity: 'high',
  controls: ['ALB-WAF'],
  scanners: {},
  resourceTypes: ['aws_apprunner_service'],
  info: 'A publicly accessible App Runner service has a WAF web ACL association.',
  explanation: 'Without listener authentication the WAF (allow-list, rate limit, managed rules) is the edge protection of the App Runner variant.',
  evaluate(service, stack) {
    const ingress = firstBlock(firstBlock(service.config.network_configuration)?.ingress_configuration);
    if (asBool(ingress?.is_publicly_accessible) === false) return notApplicable('private service');
    return stack.referencing(service, ['aws_wafv2_web_acl_association'], 'resource_arn').length > 0 ? pass() : fail('no aws_wafv2_web_acl_association references the service');
  },
});
