import { defineRule, fail, notApplicable, pass } from '../../types';
import { blocks, firstBlock, referencedAddresses } from '../../values';

export const TargetGroupBehindHttpsListener = defineRule({
  id: 'MLF-ALB-11',
  name: 'TargetGroupBehindHttpsListener',
  severity: 'high',
  controls: ['TG-NO-HTTP'],
  scanners: { checkov: ['CKV_AWS_378'] },
  resourceTypes: ['aws_lb_target_group', 'aws_alb_target_group'],
  info: 'An HTTP target group is forwarded to only from listeners that are not plain HTTP.',
  explanation: 'The HTTP hop is acceptable only when the client connection was TLS-terminated at the ALB; a plain-HTTP listener forwarding to it serves MLflow unencrypted.',
  evaluate(tg, stack) {
    if ((tg.config.protocol ?? 'HTTP') !== 'HTTP') return notApplicable(`protocol ${String(tg.config.protocol)}`);
    const forwardsTo = (action: Record<string, unknown>): boolean =>
      referencedAddresses([action.target_group_arn, firstBlock(action.forward)?.target_group]).includes(tg.address);
    const listeners = stack.ofType('aws_lb_listener', 'aws_alb_listener').filter((l) => blocks(l.config.default_action).some(forwardsTo));
    const rules = stack.ofType('aws_lb_listener_rule', 'aws_alb_listener_rule').filter((r) => blocks(r.config.action).some(forwardsTo));
    const ruleListeners = rules.map((r) => stack.target(r.config.listener_arn, 'aws_lb_listener', 'aws_alb_listener')).filter((l) => l !== undefined);
    const all = [...listeners, ...ruleListeners];
    if (all.length === 0) return fail('no listener of this stack forwards to the target group');
    const plain = all.filter((l) => (l!.config.protocol ?? 'HTTP') === 'HTTP');
    return plain.length > 0 ? fail(`forwarded to from plain-HTTP listener ${plain.map((l) => l!.address).join(', ')}`) : pass();
  },
});
