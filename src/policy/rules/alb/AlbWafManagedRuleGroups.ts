import { defineRule, fail, notApplicable, pass } from '../../types';
import { managedGroupNames } from '../waf/util';
import { isInternetFacing, webAclsFor } from './util';

const REQUIRED = ['AWSManagedRulesAnonymousIpList', 'AWSManagedRulesKnownBadInputsRuleSet'];

export const AlbWafManagedRuleGroups = defineRule({
  id: 'MLF-ALB-7',
  name: 'AlbWafManagedRuleGroups',
  severity: 'medium',
  controls: ['ALB-WAF-AMR'],
  scanners: { checkov: ['CKV2_AWS_76'] },
  resourceTypes: ['aws_lb', 'aws_alb'],
  info: "The internet-facing ALB's web ACL uses AWSManagedRulesAnonymousIpList and AWSManagedRulesKnownBadInputsRuleSet.",
  explanation: 'CKV2_AWS_76 checks the group names only. Set the AnonymousIpList rule HostingProviderIPList to count, or it blocks MLflow clients on EC2/SageMaker/Colab (see MLF-WAF-8).',
  evaluate(lb, stack) {
    if (!isInternetFacing(lb)) return notApplicable('internal or non-application load balancer');
    const acls = webAclsFor(lb, stack);
    if (acls.length === 0) return fail('no web ACL of this stack is associated');
    const names = acls.flatMap((acl) => managedGroupNames(acl));
    const missing = REQUIRED.filter((r) => !names.includes(r));
    return missing.length > 0 ? fail(`the web ACL lacks ${missing.join(', ')}`) : pass();
  },
});
