import { defineRule, fail, pass } from '../../types';
import { asBool, firstBlock } from '../../values';

export const AppRunnerIngressDecision = defineRule({
  id: 'MLF-APR-3',
  name: 'AppRunnerIngressDecision',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_apprunner_service'],
  info: 'network_configuration.ingress_configuration.is_publicly_accessible is set explicitly.',
  explanation: 'App Runner has no OIDC at the edge: public ingress must be a stated decision, compensated by WAF and MLflow authentication (MLF-APR-6).',
  evaluate(service) {
    const ingress = firstBlock(firstBlock(service.config.network_configuration)?.ingress_configuration);
    return asBool(ingress?.is_publicly_accessible) === undefined ? fail('is_publicly_accessible is not set explicitly') : pass();
  },
});
