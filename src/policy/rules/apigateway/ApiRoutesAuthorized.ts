import { defineRule, fail, pass } from '../../types';

export const ApiRoutesAuthorized = defineRule({
  id: 'MLF-APIGW-1',
  name: 'ApiRoutesAuthorized',
  severity: 'critical',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_apigatewayv2_route', 'aws_api_gateway_method'],
  info: 'Every API Gateway route/method requires authorization (AWS_IAM, JWT, Cognito or a custom authorizer), never NONE.',
  explanation: 'The API path exists to authenticate machine clients (SigV4); an open route would expose the MLflow API to the internet.',
  evaluate(route) {
    const auth = route.type === 'aws_apigatewayv2_route' ? route.config.authorization_type ?? 'NONE' : route.config.authorization;
    if (route.type === 'aws_api_gateway_method' && route.config.http_method === 'OPTIONS') return pass('CORS preflight');
    return auth === 'NONE' || auth === undefined ? fail(`authorization is ${String(auth ?? 'not set')}`) : pass();
  },
});
