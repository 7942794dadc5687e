import { defineRule, fail, pass } from '../../types';
import { blocks } from '../../values';

export const VpcDefaultSecurityGroupClosed = defineRule({
  id: 'MLF-VPC-2',
  name: 'VpcDefaultSecurityGroupClosed',
  severity: 'high',
  controls: ['VPC-DEFAULT-SG'],
  scanners: {
    checkov: ['CKV2_AWS_12'],
    trivy: ['AVD-AWS-0173'],
    kics: ['46883ce1-dc3e-4b17-9195-c6a601624c73', '9a4ef195-74b9-4c58-b8ed-2b2fe4353a75'],
    terrascan: ['AC_AWS_0232'],
  },
  resourceTypes: ['aws_vpc', 'aws_default_security_group'],
  info: 'Each VPC declares its aws_default_security_group with no ingress, no egress and no attached rule resources.',
  explanation: 'The default group allows all traffic between its members; declaring it empty takes those rules away. Omitting the resource leaves AWS defaults and fails CKV2_AWS_12.',
  evaluate(resource, stack) {
    const groups = resource.type === 'aws_vpc' ? stack.referencing(resource, ['aws_default_security_group'], 'vpc_id') : [resource];
    if (groups.length === 0) return fail('no aws_default_security_group is declared for this VPC');
    const problems: string[] = [];
    for (const g of groups) {
      if (blocks(g.config.ingress).length > 0 || blocks(g.config.egress).length > 0) problems.push(`${g.address} has inline rules`);
      const attached = stack.referencing(g, ['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'], 'security_group_id');
      if (attached.length > 0) problems.push(`${attached.map((a) => a.address).join(', ')} add rules to ${g.address}`);
    }
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
