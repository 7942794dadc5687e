import { defineRule, fail, pass } from '../../types';
import { describe, rulesOf, SG_RULE_TYPES } from '../../security-group-rules';

const PRIVATE = [/^10\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./];

/** A private (RFC 1918) CIDR wider than /27. */
function widePrivate(cidr: string): boolean {
  const [ip, bits] = cidr.split('/');
  return PRIVATE.some((re) => re.test(ip)) && Number(bits) < 27;
}

export const SecurityGroupIngressUsesGroupReferences = defineRule({
  id: 'MLF-SG-8',
  name: 'SecurityGroupIngressUsesGroupReferences',
  severity: 'medium',
  controls: ['SG-USE-SG-REFERENCES'],
  scanners: {
    kics: ['92fe237e-074c-4262-81a4-2077acb928c1', 'e35c16a2-d54e-419d-8546-a804d8e024d0'],
    terrascan: ['AC_AWS_0322', 'AC_AWS_0262', 'AC_AWS_0304', 'AC_AWS_0351'],
  },
  resourceTypes: SG_RULE_TYPES,
  info: 'Ingress inside the VPC names the source security group, not a private CIDR wider than /27.',
  explanation: 'A VPC-CIDR rule admits every workload in the VPC; SG-to-SG references admit only the intended tier (database 5432 from the tasks, tasks 5000 from the ALB).',
  evaluate(resource, stack) {
    const bad = rulesOf(resource, stack).filter((r) => r.direction === 'ingress' && r.cidrs.some(widePrivate));
    return bad.length > 0 ? fail(bad.map(describe).join('; ')) : pass();
  },
});
