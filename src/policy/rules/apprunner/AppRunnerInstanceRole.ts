import { defineRule } from '../../types';
import { firstBlock, requireSet } from '../../values';

export const AppRunnerInstanceRole = defineRule({
  id: 'MLF-APR-5',
  name: 'AppRunnerInstanceRole',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_apprunner_service'],
  info: 'instance_configuration.instance_role_arn is set (its policies are checked by the IAM rules).',
  explanation: 'The service reads the bucket prefix and the database secret through its own role, separate from the ECR access role.',
  evaluate(service) {
    return requireSet(firstBlock(service.config.instance_configuration)?.instance_role_arn, 'instance_configuration.instance_role_arn');
  },
});
