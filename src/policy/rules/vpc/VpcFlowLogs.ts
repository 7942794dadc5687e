import { defineRule, fail, pass } from '../../types';
import { referencedAddresses } from '../../values';

export const VpcFlowLogs = defineRule({
  id: 'MLF-VPC-1',
  name: 'VpcFlowLogs',
  severity: 'medium',
  controls: ['VPC-FLOWLOGS'],
  scanners: { checkov: ['CKV2_AWS_11'], trivy: ['AVD-AWS-0178'], kics: ['f83121ea-03da-434f-9277-9cd247ab3047'], terrascan: ['AC_AWS_0369'] },
  resourceTypes: ['aws_vpc', 'aws_flow_log'],
  info: 'Every VPC has an aws_flow_log whose vpc_id references it, and every flow log sets vpc_id.',
  explanation: 'Flow logs are the network evidence after an incident. KICS matches the exact reference "${aws_vpc.<name>.id}", so reference the VPC, never a literal id; subnet/ENI flow logs without vpc_id trip its second clause.',
  evaluate(resource, stack) {
    if (resource.type === 'aws_flow_log') {
      return referencedAddresses(resource.config.vpc_id).some((a) => a.startsWith('aws_vpc.')) ? pass() : fail('the flow log does not reference a VPC through vpc_id');
    }
    return stack.referencing(resource, ['aws_flow_log'], 'vpc_id').length > 0 ? pass() : fail('no aws_flow_log references this VPC');
  },
});
