import { defineRule, fail, notApplicable, pass } from '../../types';
import { firstBlock, Json } from '../../values';
import { MLFLOW_AUTH_ENV } from '../alb/EntranceAuthenticated';

export const AppRunnerMlflowAuth = defineRule({
  id: 'MLF-APR-8',
  name: 'AppRunnerMlflowAuth',
  severity: 'critical',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_apprunner_service'],
  info: 'An App Runner service running MLflow (MLFLOW_* runtime variables) runs its basic-auth app (MLFLOW_AUTH=basic-auth), public or not.',
  explanation:
    'App Runner has no authenticating step at its edge (no OIDC/Cognito action, no IAM authorization on the default domain), so MLflow\'s own authentication is the only gate: a WAF IP allow-list or private ingress limits who can connect, not who may read, write and delete. The entrance counterpart of MLF-ALB-16.',
  evaluate(service) {
    const image = firstBlock(firstBlock(firstBlock(service.config.source_configuration)?.image_repository)?.image_configuration);
    const vars = (image?.runtime_environment_variables ?? {}) as Json;
    if (!Object.keys(vars).some((k) => k.startsWith('MLFLOW_'))) return notApplicable('not an MLflow image (no MLFLOW_* runtime variables)');
    const auth = vars[MLFLOW_AUTH_ENV.name];
    return auth === MLFLOW_AUTH_ENV.value ? pass() : fail(`${MLFLOW_AUTH_ENV.name} is ${JSON.stringify(auth ?? null)}: MLflow serves everyone who can connect`);
  },
});
