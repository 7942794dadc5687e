import { defineRule } from '../../types';
import { requireSet } from '../../values';

export const AppRunnerConnectorSecurityGroups = defineRule({
  id: 'MLF-APR-7',
  name: 'AppRunnerConnectorSecurityGroups',
  severity: 'medium',
  controls: ['SG-ATTACHED'],
  scanners: { checkov: ['CKV2_AWS_5'] },
  resourceTypes: ['aws_apprunner_vpc_connector'],
  info: 'The VPC connector has security groups.',
  explanation: 'The database admits the connector group only; without one the default group would apply.',
  evaluate(connector) {
    return requireSet(connector.config.security_groups, 'security_groups');
  },
});
