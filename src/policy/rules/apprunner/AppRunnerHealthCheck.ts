import { defineRule, fail, pass } from '../../types';
import { firstBlock } from '../../values';

export const AppRunnerHealthCheck = defineRule({
  id: 'MLF-APR-4',
  name: 'AppRunnerHealthCheck',
  severity: 'low',
  controls: ['TG-HEALTHCHECK'],
  scanners: {},
  resourceTypes: ['aws_apprunner_service'],
  info: 'health_check_configuration uses HTTP with a path.',
  explanation: 'The default TCP check passes while gunicorn is wedged; an HTTP check on the MLflow health path does not.',
  evaluate(service) {
    const hc = firstBlock(service.config.health_check_configuration);
    return hc?.protocol === 'HTTP' && typeof hc.path === 'string' && hc.path !== '' ? pass() : fail('no HTTP health check with a path');
  },
});
