import { defineRule, fail, pass } from '../../types';
import { firstBlock } from '../../values';

export const ApiStageAccessLogging = defineRule({
  id: 'MLF-APIGW-2',
  name: 'ApiStageAccessLogging',
  severity: 'medium',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_apigatewayv2_stage', 'aws_api_gateway_stage'],
  info: 'The stage writes access logs (access_log_settings.destination_arn).',
  explanation: 'Access logs record which IAM principal called which MLflow API.',
  evaluate(stage) {
    return firstBlock(stage.config.access_log_settings)?.destination_arn ? pass() : fail('no access_log_settings.destination_arn');
  },
});
