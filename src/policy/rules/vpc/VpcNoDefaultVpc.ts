import { defineRule, fail, pass } from '../../types';

export const VpcNoDefaultVpc = defineRule({
  id: 'MLF-VPC-3',
  name: 'VpcNoDefaultVpc',
  severity: 'high',
  controls: ['VPC-NO-DEFAULT-VPC'],
  scanners: { checkov: ['CKV_AWS_148'], trivy: ['AVD-AWS-0101'], kics: ['96ed3526-0179-4c73-b1b2-372fde2e0d13'], terrascan: ['AC_AWS_0370'] },
  resourceTypes: ['aws_default_vpc', 'aws_vpc'],
  info: 'The stack manages no default VPC.',
  explanation: 'The default VPC has public subnets that auto-assign public IPs; the stack builds its own VPC.',
  evaluate(resource) {
    if (resource.type === 'aws_default_vpc') return fail('aws_default_vpc is declared');
    return resource.config.is_default === true ? fail('is_default is true') : pass();
  },
});
