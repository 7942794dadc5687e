import { StackModel, TfResource } from '../../model';
import { combine, defineRule, fail, notApplicable, pass, RuleOutcome } from '../../types';
import { blocks, firstBlock, Json, referencedAddresses } from '../../values';
import { rulesOf, SG_RULE_TYPES } from '../../security-group-rules';
import { containersOf } from '../ecs/util';
import { AUTHENTICATE_TYPES } from './ListenerAuthenticatesFirst';
import { loadBalancerOf, orderedActions } from './util';

/** The environment variable and value with which the MLflow image runs its basic-auth app (src/image/contract.ts). */
export const MLFLOW_AUTH_ENV = { name: 'MLFLOW_AUTH', value: 'basic-auth' } as const;

/** Target groups a forward action sends to (`target_group_arn`, or weighted `forward.target_group[].arn`). */
function forwardTargets(action: Json, stack: StackModel): TfResource[] {
  const arns = [action.target_group_arn, ...blocks(firstBlock(action.forward)?.target_group).map((t) => t.arn)];
  return arns.flatMap((arn) => stack.resolve(arn)).filter((r) => r.type === 'aws_lb_target_group' || r.type === 'aws_alb_target_group');
}

/** Does every ECS service registered with the target group run MLflow's own authentication? */
function tasksAuthenticate(targetGroup: TfResource, stack: StackModel): { ok: boolean; detail: string } {
  const services = stack
    .ofType('aws_ecs_service')
    .filter((s) => blocks(s.config.load_balancer).some((lb) => referencedAddresses(lb.target_group_arn).includes(targetGroup.address)));
  if (services.length === 0) return { ok: false, detail: `no ECS service in this stack registers with ${targetGroup.address}` };
  const open = services.filter((s) => {
    const task = stack.target(s.config.task_definition, 'aws_ecs_task_definition');
    const containers = task ? containersOf(task) : undefined;
    if (!containers || containers.kind !== 'parsed') return true;
    return !containers.list.some((c) => blocks(c.environment).some((e) => e.name === MLFLOW_AUTH_ENV.name && e.value === MLFLOW_AUTH_ENV.value));
  });
  return open.length === 0
    ? { ok: true, detail: `the tasks behind ${targetGroup.address} run MLflow with ${MLFLOW_AUTH_ENV.name}=${MLFLOW_AUTH_ENV.value}` }
    : { ok: false, detail: `${open.map((s) => s.address).join(', ')} behind ${targetGroup.address} run${open.length === 1 ? 's' : ''} MLflow without ${MLFLOW_AUTH_ENV.name}=${MLFLOW_AUTH_ENV.value}` };
}

/**
 * Is the listener reachable only through API Gateway routes that require authorization? Its load
 * balancer's security groups admit nothing but VPC links' groups, and every integration that
 * targets the listener is reached only by authorized routes.
 */
function onlyBehindAuthorizedApi(listener: TfResource, stack: StackModel): { ok: boolean; detail: string } {
  const lb = loadBalancerOf(listener, stack);
  const integrations = stack.referencing(listener, ['aws_apigatewayv2_integration'], 'integration_uri');
  if (!lb || integrations.length === 0) return { ok: false, detail: 'no API Gateway integration targets it' };
  const linkGroups = new Set(stack.ofType('aws_apigatewayv2_vpc_link').flatMap((l) => stack.resolve(l.config.security_group_ids).map((g) => g.address)));
  const lbGroups = new Set(stack.resolve(lb.config.security_groups).map((g) => g.address));
  const ingress = stack
    .ofType(...SG_RULE_TYPES)
    .flatMap((r) => rulesOf(r, stack))
    .filter((r) => r.direction === 'ingress' && r.group !== undefined && lbGroups.has(r.group));
  const foreign = ingress.filter((r) => r.cidrs.length > 0 || r.peers.some((p) => !referencedAddresses(p).some((a) => linkGroups.has(a))));
  if (lbGroups.size === 0 || foreign.length > 0) {
    return { ok: false, detail: `its load balancer admits more than an API Gateway VPC link (${foreign.map((r) => r.origin).join(', ') || 'no security group'})` };
  }
  const routes = stack.ofType('aws_apigatewayv2_route').filter((r) => integrations.some((i) => referencedAddresses(r.config.target).includes(i.address)));
  const open = routes.filter((r) => (r.config.authorization_type ?? 'NONE') === 'NONE');
  if (routes.length === 0 || open.length > 0) return { ok: false, detail: `API Gateway route${open.length === 1 ? '' : 's'} without authorization: ${open.map((r) => r.address).join(', ') || 'none found'}` };
  return { ok: true, detail: `reachable only through ${routes.map((r) => r.address).join(', ')} (authorization ${[...new Set(routes.map((r) => String(r.config.authorization_type)))].join(', ')})` };
}

/** One forwarding action list (a listener's default actions or a listener rule's actions). */
function entranceOutcome(actions: Json[], listener: TfResource | undefined, stack: StackModel): RuleOutcome {
  const forwards = actions.map((a, i) => [a, i] as const).filter(([a]) => a.type === 'forward');
  if (forwards.length === 0) return notApplicable('does not forward');
  const authAt = actions.findIndex((a) => AUTHENTICATE_TYPES.includes(String(a.type)));
  if (authAt >= 0 && forwards.every(([, i]) => i > authAt)) return pass('authenticates at the load balancer first');
  if (listener) {
    const api = onlyBehindAuthorizedApi(listener, stack);
    if (api.ok) return pass(api.detail);
  }
  const targets = forwards.flatMap(([a]) => forwardTargets(a, stack));
  if (targets.length === 0) return fail('forwards without authentication to a target group that is not in this stack');
  return combine(
    targets.map((tg) => {
      const tasks = tasksAuthenticate(tg, stack);
      return tasks.ok ? pass(tasks.detail) : fail(`forwards without authentication: ${tasks.detail}, and the listener is not reachable only through IAM-authorized API Gateway routes`);
    }),
  );
}

export const EntranceAuthenticated = defineRule({
  id: 'MLF-ALB-16',
  name: 'EntranceAuthenticated',
  severity: 'critical',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener', 'aws_lb_listener_rule', 'aws_alb_listener_rule'],
  info: 'Every listener or listener rule that forwards to MLflow, internet-facing or internal, is authenticated: authenticate-oidc/cognito first, or reachable only through IAM-authorized API Gateway routes, or every task behind it runs MLflow auth (MLFLOW_AUTH=basic-auth).',
  explanation:
    'An internal load balancer is not a gate: anything in an allowed network or security group (a compromised notebook, a CI runner, a peered VPC) gets MLflow\'s full read, write and delete API when the listener forwards to tasks that run without authentication. Authenticate at the listener (browsers), put API Gateway with IAM (SigV4) in front and admit only its VPC link, or run the tasks behind it with MLflow\'s basic-auth app. No scanner follows listener, target group, ECS service and task definition together.',
  evaluate(resource, stack) {
    const isRule = resource.type.endsWith('_listener_rule');
    const listener = isRule ? stack.target(resource.config.listener_arn, 'aws_lb_listener', 'aws_alb_listener') : resource;
    return entranceOutcome(orderedActions(isRule ? resource.config.action : resource.config.default_action), listener, stack);
  },
});
