import { defineRule, fail, notApplicable, pass } from '../../types';
import { isInternetFacing, webAclsFor } from './util';

export const AlbWafAssociated = defineRule({
  id: 'MLF-ALB-6',
  name: 'AlbWafAssociated',
  severity: 'high',
  controls: ['ALB-WAF'],
  scanners: { checkov: ['CKV2_AWS_28'], kics: ['0afa6ab8-a047-48cf-be07-93a2f8c34cf7'] },
  resourceTypes: ['aws_lb', 'aws_alb'],
  info: 'An internet-facing ALB has an aws_wafv2_web_acl_association whose resource_arn references it.',
  explanation: 'The WAF filters known-bad inputs and rate-limits before requests reach authentication or MLflow. Reference "${aws_lb.<name>.arn}"; a literal ARN breaks the scanners\' graph match.',
  evaluate(lb, stack) {
    if (!isInternetFacing(lb)) return notApplicable('internal or non-application load balancer');
    const associations = stack.referencing(lb, ['aws_wafv2_web_acl_association'], 'resource_arn');
    if (associations.length === 0) return fail('no aws_wafv2_web_acl_association references this load balancer');
    return webAclsFor(lb, stack).length > 0 ? pass() : pass('associated with a web ACL outside this stack');
  },
});
