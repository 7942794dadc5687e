import { defineRule, fail, pass } from '../../types';
import { firstBlock } from '../../values';

export const AppRunnerEgressViaVpc = defineRule({
  id: 'MLF-APR-2',
  name: 'AppRunnerEgressViaVpc',
  severity: 'high',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_apprunner_service'],
  info: 'network_configuration.egress_configuration.egress_type is VPC with a vpc_connector_arn.',
  explanation: 'The database lives in private subnets; VPC egress puts the service behind the connector security group (CKV2_AWS_5 checks that group is attached).',
  evaluate(service) {
    const egress = firstBlock(firstBlock(service.config.network_configuration)?.egress_configuration);
    if (egress?.egress_type !== 'VPC') return fail(`egress_type is ${JSON.stringify(egress?.egress_type ?? 'DEFAULT')}`);
    return egress.vpc_connector_arn ? pass() : fail('vpc_connector_arn is not set');
  },
});
