import { defineRule, notApplicable } from '../../types';
import { requireOneOf } from '../../values';

/** ssl_policy values that pass checkov CKV_AWS_103 and CKV2_AWS_74 and trivy AVD-AWS-0047 (RULES.md TLS table). */
export const ACCEPTED_TLS_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
];

export const ListenerTlsPolicy = defineRule({
  id: 'MLF-ALB-9',
  name: 'ListenerTlsPolicy',
  severity: 'critical',
  controls: ['LISTENER-TLS-POLICY'],
  scanners: { checkov: ['CKV_AWS_103', 'CKV2_AWS_74'], trivy: ['AVD-AWS-0047'] },
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  info: 'HTTPS/TLS listeners set ssl_policy explicitly to a TLS 1.2+ policy every scanner accepts (ELBSecurityPolicy-TLS13-1-2-2021-06 recommended).',
  explanation: 'Unset, the API applies ELBSecurityPolicy-2016-08 (TLS 1.0). The TLS13-1-0/1-1 and -Ext policies pass checkov by prefix but fail trivy.',
  evaluate(listener) {
    const protocol = listener.config.protocol;
    if (protocol !== 'HTTPS' && protocol !== 'TLS') return notApplicable(`protocol ${String(protocol ?? 'HTTP')}`);
    return requireOneOf(listener.config.ssl_policy, ACCEPTED_TLS_POLICIES, 'ssl_policy');
  },
});
