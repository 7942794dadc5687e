import { defineRule, fail, pass } from '../../types';
import { describe, fromInternet, isLoadBalancerGroup, rulesOf, SG_RULE_TYPES } from '../../security-group-rules';

export const SecurityGroupPublicIngressOnlyAlbWeb = defineRule({
  id: 'MLF-SG-4',
  name: 'SecurityGroupPublicIngressOnlyAlbWeb',
  severity: 'high',
  controls: ['SG-NO-UNKNOWN-PORT-PUBLIC', 'SG-PORT-FAMILY'],
  scanners: { kics: ['590d878b-abdc-428f-895a-e2b68a0e1998'], terrascan: ['AC_AWS_0276', 'AC_AWS_0227..AC_AWS_0362 (port family)'] },
  resourceTypes: SG_RULE_TYPES,
  info: 'Internet ingress (0.0.0.0/0, ::/0) exists only on a load balancer group, only tcp/80 and tcp/443.',
  explanation: 'The ALB is the only public entry point; MLflow (5000) and PostgreSQL (5432) are reachable from their upstream security group only.',
  evaluate(resource, stack) {
    const bad = rulesOf(resource, stack).filter(
      (r) =>
        r.direction === 'ingress' &&
        fromInternet(r) &&
        !(isLoadBalancerGroup(r.group, stack) && r.protocol === 'tcp' && r.fromPort === r.toPort && (r.fromPort === 80 || r.fromPort === 443)),
    );
    return bad.length > 0 ? fail(bad.map(describe).join('; ')) : pass();
  },
});
