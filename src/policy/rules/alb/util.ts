/** Load balancer helpers shared by the ALB rules. */
import { StackModel, TfResource } from '../../model';
import { asBool, blocks, firstBlock, Json } from '../../values';

export function isInternetFacing(lb: TfResource): boolean {
  return asBool(lb.config.internal) !== true && (lb.config.load_balancer_type ?? 'application') === 'application';
}

/** The web ACLs associated with a resource (load balancer, App Runner service, API stage). */
export function webAclsFor(resource: TfResource, stack: StackModel): TfResource[] {
  return stack
    .referencing(resource, ['aws_wafv2_web_acl_association'], 'resource_arn')
    .map((assoc) => stack.target(assoc.config.web_acl_arn, 'aws_wafv2_web_acl'))
    .filter((acl): acl is TfResource => acl !== undefined);
}

/** The listener's load balancer, when it is in the stack. */
export function loadBalancerOf(listener: TfResource, stack: StackModel): TfResource | undefined {
  return stack.target(listener.config.load_balancer_arn, 'aws_lb', 'aws_alb');
}

/** Default actions in evaluation order (`order`, then position). */
export function orderedActions(value: unknown): Json[] {
  return blocks(value)
    .map((a, i) => ({ a, key: typeof a.order === 'number' ? a.order : 50000 + i }))
    .sort((x, y) => x.key - y.key)
    .map((x) => x.a);
}

export function redirectTarget(action: Json): Json | undefined {
  return firstBlock(action.redirect);
}
