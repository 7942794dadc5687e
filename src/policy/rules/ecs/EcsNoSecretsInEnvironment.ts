import { defineRule } from '../../types';
import { blocks } from '../../values';
import { everyContainer } from './containers';
// The one secret detector (names and value formats), shared with config validation.
import { secretLikeName, secretLikeValue } from '../../../config/secret-like';

export const EcsNoSecretsInEnvironment = defineRule({
  id: 'MLF-ECS-14',
  name: 'EcsNoSecretsInEnvironment',
  severity: 'critical',
  controls: ['ECS-NO-PLAINTEXT-SECRETS'],
  scanners: { trivy: ['AVD-AWS-0036'], terrascan: ['AC_AWS_0095'] },
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'No environment variable name contains password/secret/token/api_key/private_key and no value looks like a credential.',
  explanation: 'Plain environment values are visible to anyone who can describe the task definition. Inject credentials with secrets[].valueFrom. Trivy matches names even without a secret value (e.g. DB_SECRET_ARN), so avoid such names.',
  evaluate(task) {
    return everyContainer(task, (c) => {
      const env = blocks(c.environment);
      const names = env.map((e) => String(e.name ?? '')).filter(secretLikeName);
      const values = env.filter((e) => typeof e.value === 'string' && secretLikeValue(e.value as string) !== undefined).map((e) => String(e.name));
      const problems = [
        ...(names.length > 0 ? [`environment names that look like secrets: ${names.join(', ')}`] : []),
        ...(values.length > 0 ? [`environment values that look like credentials: ${values.join(', ')}`] : []),
      ];
      return problems.length > 0 ? problems.join('; ') : undefined;
    });
  },
});
