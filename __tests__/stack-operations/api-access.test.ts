/**
 * Programmatic clients (issue 3): the authenticated paths for /api and /ajax-api, and the proof
 * that nothing reachable from the internet skips authentication.
 */
import { production } from '../../src/config/environments/production';
import { staging } from '../../src/config/environments/staging';
import { Json, policy, ref, resource, resourcesOfType } from '../helpers/synth';
import { allResources, synthAny } from './helpers';

const prod = synthAny(production); // internal-alb
const stag = synthAny(staging); // apigateway-iam
const none = synthAny({ ...production, apiAccess: { mode: 'none' } });

/** Listener names (aws_lb_listener) whose load balancer is internet-facing. */
function publicListeners(stack: Json): [string, Json][] {
  const lbs = resourcesOfType(stack, 'aws_lb');
  const publicLbRefs = Object.entries(lbs)
    .filter(([, lb]) => lb.internal !== true)
    .map(([name]) => ref(`aws_lb.${name}`, 'arn'));
  return Object.entries(resourcesOfType(stack, 'aws_lb_listener')).filter(([, l]) => publicLbRefs.includes(l.load_balancer_arn));
}

/** An action list is safe when it redirects only, or authenticates before it forwards. */
function authenticatesBeforeForward(actions: Json[]): boolean {
  const sorted = [...actions].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  if (sorted.length === 1 && sorted[0].type === 'redirect') return true;
  const forward = sorted.findIndex((a) => a.type === 'forward');
  const auth = sorted.findIndex((a) => a.type === 'authenticate-oidc' || a.type === 'authenticate-cognito');
  return forward >= 0 && auth >= 0 && auth < forward && sorted[auth].order < sorted[forward].order;
}

describe.each([
  ['production (internal-alb)', prod],
  ['staging (apigateway-iam)', stag],
  ['api access none', none],
])('%s: nothing on the internet-facing ALB skips authentication', (_name, stack) => {
  test('every listener of an internet-facing load balancer redirects or authenticates before forwarding', () => {
    const listeners = publicListeners(stack);
    expect(listeners.map(([n]) => n).sort()).toEqual(['edge_http', 'edge_https']);
    for (const [, listener] of listeners) expect(authenticatesBeforeForward(listener.default_action)).toBe(true);
  });

  test('no listener rule (host or path based) exists that could bypass the default action', () => {
    expect(resourcesOfType(stack, 'aws_lb_listener_rule')).toEqual({});
    expect(resourcesOfType(stack, 'aws_alb_listener_rule')).toEqual({});
  });

  test('only the internet-facing ALB security group admits 0.0.0.0/0', () => {
    const open = allResources(stack)
      .filter(([type]) => type === 'aws_security_group')
      .filter(([, , sg]) => (sg.ingress ?? []).some((r: Json) => r.cidr_blocks.includes('0.0.0.0/0')))
      .map(([, name]) => name);
    expect(open).toEqual(['security_alb']);
    const publicLbs = Object.values(resourcesOfType(stack, 'aws_lb')).filter((lb) => lb.internal !== true);
    expect(publicLbs.map((lb) => lb.security_groups)).toEqual([[ref('aws_security_group.security_alb', 'id')]]);
  });
});

describe('internal ALB (both modes)', () => {
  test.each([
    ['production', prod],
    ['staging', stag],
  ])('%s: internal, in the private subnets, HTTPS only, forwarding to its own target group', (_n, stack) => {
    const lb = resource(stack, 'aws_lb', 'api_access_alb');
    expect(lb).toMatchObject({ internal: true, drop_invalid_header_fields: true, security_groups: [ref('aws_security_group.api_access_alb_sg', 'id')] });
    expect(lb.subnets).toEqual([ref('aws_subnet.network_private_us_east_1a', 'id'), ref('aws_subnet.network_private_us_east_1b', 'id')]);
    const listener = resource(stack, 'aws_lb_listener', 'api_access_https');
    expect(listener).toMatchObject({ load_balancer_arn: ref('aws_lb.api_access_alb', 'arn'), port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(listener.default_action).toEqual([{ type: 'forward', target_group_arn: ref('aws_lb_target_group.api_access_target_group', 'arn') }]);
    expect(listener.certificate_arn).toBe(ref('aws_acm_certificate_validation.api_access_certificate_validated', 'certificate_arn'));
  });

  test('apigateway-iam: the ECS service registers with both target groups and admits the internal ALB through its own group', () => {
    const svc = resource(stag, 'aws_ecs_service', 'mlflow_service');
    expect(svc.load_balancer.map((l: Json) => l.target_group_arn)).toEqual([ref('aws_lb_target_group.edge_target_group', 'arn'), ref('aws_lb_target_group.api_access_target_group', 'arn')]);
    expect(svc.network_configuration.security_groups).toEqual([ref('aws_security_group.security_tasks', 'id'), ref('aws_security_group.api_access_targets_sg', 'id')]);
    expect(svc.depends_on).toContain('aws_lb_listener.api_access_https');
    const targets = resource(stag, 'aws_security_group', 'api_access_targets_sg');
    expect(targets.ingress).toEqual([expect.objectContaining({ from_port: 5000, to_port: 5000, security_groups: [ref('aws_security_group.api_access_alb_sg', 'id')], cidr_blocks: [] })]);
    expect(targets.egress).toEqual([]);
    expect(resourcesOfType(stag, 'aws_ecs_service')).not.toHaveProperty('mlflow_api_service');
  });

  test('internal-alb: HTTPS only from the configured client groups and networks, and a private DNS name', () => {
    const sg = resource(prod, 'aws_security_group', 'api_access_alb_sg');
    expect(sg.ingress.map((r: Json) => [r.from_port, r.cidr_blocks, r.security_groups])).toEqual([
      [443, [], ['sg-0123456789abcdef0']],
      [443, ['10.100.0.0/16'], []],
    ]);
    expect(resource(prod, 'aws_route53_record', 'api_access_alias')).toMatchObject({
      name: 'mlflow-api.example.com',
      alias: { name: ref('aws_lb.api_access_alb', 'dns_name'), zone_id: ref('aws_lb.api_access_alb', 'zone_id') },
    });
    expect(resourcesOfType(prod, 'aws_apigatewayv2_api')).toEqual({});
    expect(prod.output.api_url.value).toBe('https://mlflow-api.example.com');
  });
});

describe('apigateway-iam', () => {
  test('only the VPC link reaches the internal ALB', () => {
    const sg = resource(stag, 'aws_security_group', 'api_access_alb_sg');
    expect(sg.ingress).toEqual([expect.objectContaining({ from_port: 443, security_groups: [ref('aws_security_group.api_access_vpc_link_sg', 'id')], cidr_blocks: [] })]);
    expect(resource(stag, 'aws_security_group', 'api_access_vpc_link_sg').ingress).toEqual([]);
    expect(resource(stag, 'aws_apigatewayv2_vpc_link', 'api_access_vpc_link').security_group_ids).toEqual([ref('aws_security_group.api_access_vpc_link_sg', 'id')]);
  });

  test('routes /api/{proxy+} and /ajax-api/{proxy+} only, each with AWS_IAM authorization, to the internal listener', () => {
    const routes = Object.values(resourcesOfType(stag, 'aws_apigatewayv2_route'));
    expect(routes.map((r) => r.route_key).sort()).toEqual(['ANY /ajax-api/{proxy+}', 'ANY /api/{proxy+}']);
    for (const r of routes) {
      expect(r.authorization_type).toBe('AWS_IAM');
      expect(r.target).toBe(`integrations/${ref('aws_apigatewayv2_integration.api_access_integration', 'id')}`);
    }
    expect(resource(stag, 'aws_apigatewayv2_integration', 'api_access_integration')).toMatchObject({
      integration_type: 'HTTP_PROXY',
      connection_type: 'VPC_LINK',
      connection_id: ref('aws_apigatewayv2_vpc_link.api_access_vpc_link', 'id'),
      integration_uri: ref('aws_lb_listener.api_access_https', 'arn'),
      tls_config: { server_name_to_verify: 'mlflow-api-staging.example.com' },
    });
  });

  test('the invoke policy grants execute-api:Invoke on exactly those routes and is an output', () => {
    const doc = policy(resource(stag, 'aws_iam_policy', 'api_access_invoke_policy').policy);
    const exec = ref('aws_apigatewayv2_api.api_access_api', 'execution_arn');
    expect(doc.Statement).toEqual([{ Sid: 'InvokeMlflowApi', Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [`${exec}/*/*/api/*`, `${exec}/*/*/ajax-api/*`] }]);
    expect(stag.output.api_invoke_policy_arn.value).toBe(ref('aws_iam_policy.api_access_invoke_policy', 'arn'));
  });

  test('stage access logs go to a KMS-encrypted log group; the custom domain is the only entrance', () => {
    const stage = resource(stag, 'aws_apigatewayv2_stage', 'api_access_stage');
    expect(stage.access_log_settings.destination_arn).toBe(ref('aws_cloudwatch_log_group.api_access_access_logs', 'arn'));
    expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({ requestId: '$context.requestId', user: '$context.identity.userArn' });
    expect(resource(stag, 'aws_cloudwatch_log_group', 'api_access_access_logs').kms_key_id).toBe(ref('aws_kms_key.encryption_key', 'arn'));
    expect(resource(stag, 'aws_apigatewayv2_api', 'api_access_api')).toMatchObject({ protocol_type: 'HTTP', disable_execute_api_endpoint: true });
    const domain = resource(stag, 'aws_apigatewayv2_domain_name', 'api_access_domain');
    expect(domain).toMatchObject({ domain_name: 'mlflow-api-staging.example.com', domain_name_configuration: { endpoint_type: 'REGIONAL', security_policy: 'TLS_1_2' } });
    expect(resource(stag, 'aws_apigatewayv2_api_mapping', 'api_access_mapping').domain_name).toBe(ref('aws_apigatewayv2_domain_name.api_access_domain', 'id'));
    expect(stag.output.api_url.value).toBe('https://mlflow-api-staging.example.com');
  });

  test('without a hostname the execute-api endpoint is the entrance and the edge certificate serves the internal listener', () => {
    const stack = synthAny({ ...staging, apiAccess: { mode: 'apigateway-iam' } });
    expect(resource(stack, 'aws_apigatewayv2_api', 'api_access_api').disable_execute_api_endpoint).toBe(false);
    expect(resourcesOfType(stack, 'aws_apigatewayv2_domain_name')).toEqual({});
    expect(resource(stack, 'aws_lb_listener', 'api_access_https').certificate_arn).toBe(ref('aws_acm_certificate_validation.edge_certificate_validated', 'certificate_arn'));
    expect(stack.output.api_url.value).toBe(ref('aws_apigatewayv2_api.api_access_api', 'api_endpoint'));
  });
});

describe('internal-alb: the API path is authenticated by MLflow (issue 13)', () => {
  const container = (task: Json): Json => JSON.parse(task.container_definitions)[0];
  const env = (c: Json): Record<string, string> => Object.fromEntries(c.environment.map((e: Json) => [e.name, e.value]));

  test('the internal target group is served only by a separate service whose tasks run MLflow basic-auth', () => {
    const main = resource(prod, 'aws_ecs_service', 'mlflow_service');
    expect(main.load_balancer.map((l: Json) => l.target_group_arn)).toEqual([ref('aws_lb_target_group.edge_target_group', 'arn')]);
    expect(main.network_configuration.security_groups).toEqual([ref('aws_security_group.security_tasks', 'id')]);
    expect(env(container(resource(prod, 'aws_ecs_task_definition', 'mlflow_task'))).MLFLOW_AUTH).toBe('none');

    const api = resource(prod, 'aws_ecs_service', 'mlflow_api_service');
    expect(api).toMatchObject({ name: 'fraud-scoring-mlflow-api', task_definition: ref('aws_ecs_task_definition.mlflow_api_task', 'arn'), desired_count: 2, launch_type: 'FARGATE' });
    expect(api.load_balancer).toEqual([{ target_group_arn: ref('aws_lb_target_group.api_access_target_group', 'arn'), container_name: 'mlflow', container_port: 5000 }]);
    expect(api.network_configuration).toMatchObject({ assign_public_ip: false, security_groups: [ref('aws_security_group.security_tasks', 'id'), ref('aws_security_group.api_access_targets_sg', 'id')] });
    expect(api.depends_on).toEqual(['aws_lb_listener.api_access_https']);
    expect(api.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    const services = Object.values(resourcesOfType(prod, 'aws_ecs_service'));
    expect(services.filter((s) => s.load_balancer.some((l: Json) => l.target_group_arn === ref('aws_lb_target_group.api_access_target_group', 'arn')))).toEqual([api]);
  });

  test('the API task: basic-auth with the generated admin password as a secret, health checked on /health (the app answers / with 401)', () => {
    const task = resource(prod, 'aws_ecs_task_definition', 'mlflow_api_task');
    expect(task.family).toBe('fraud-scoring-mlflow-api');
    const c = container(task);
    expect(env(c).MLFLOW_AUTH).toBe('basic-auth');
    expect(c.secrets).toContainEqual({ name: 'MLFLOW_AUTH_ADMIN_PASSWORD', valueFrom: ref('aws_secretsmanager_secret.api_access_admin_secret', 'arn') });
    // The image's health check script on /health: the same database login check as the browser service.
    expect(c.healthCheck.command).toEqual(['CMD', 'python', '/usr/local/bin/mlflow-healthcheck.py', '--url', 'http://127.0.0.1:5000/health']);
    expect(c).toMatchObject({ user: '10001:10001', readonlyRootFilesystem: true });
    expect(resource(prod, 'aws_lb_target_group', 'api_access_target_group').health_check.path).toBe('/health');
    expect(resource(stag, 'aws_lb_target_group', 'api_access_target_group').health_check.path).toBe('/');
    expect(resource(prod, 'aws_secretsmanager_secret', 'api_access_admin_secret')).toMatchObject({ name: 'fraud-scoring/mlflow/api-admin-password', kms_key_id: ref('aws_kms_key.encryption_key', 'arn') });
    const statements = JSON.parse(resource(prod, 'aws_iam_role_policy', 'mlflow_execution_policy').policy).Statement;
    expect(statements.find((s: Json) => s.Sid === 'ReadDatabaseSecret').Resource).toEqual([ref('aws_secretsmanager_secret.database_secret', 'arn'), ref('aws_secretsmanager_secret.api_access_admin_secret', 'arn')]);
    expect(prod.output.api_admin_password_secret_arn.value).toBe(ref('aws_secretsmanager_secret.api_access_admin_secret', 'arn'));
  });

  test('apiAccess.desiredCount sets the API task count; by default the autoscaling minimum', () => {
    const three = synthAny({ ...production, apiAccess: { ...production.apiAccess!, desiredCount: 3 } });
    expect(resource(three, 'aws_ecs_service', 'mlflow_api_service').desired_count).toBe(3);
  });
});

test('mode none adds no second entrance', () => {
  for (const type of ['aws_apigatewayv2_api', 'aws_apigatewayv2_vpc_link']) expect(resourcesOfType(none, type)).toEqual({});
  expect(Object.keys(resourcesOfType(none, 'aws_lb'))).toEqual(['edge_alb']);
  expect(resource(none, 'aws_ecs_service', 'mlflow_service').load_balancer).toHaveLength(1);
});
