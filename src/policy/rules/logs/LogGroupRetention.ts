import { defineRule } from '../../types';
import { requireOneOf } from '../../values';

/** Retention values every scanner accepts (checkov >= 365, KICS's list, Terrascan != 0). */
export const PRODUCTION_RETENTION_DAYS = [365, 400, 545, 731, 1827, 3653];
/** KICS ef0b316a's accepted list; outside production any of them (never 0 = forever). */
export const ACCEPTED_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, ...PRODUCTION_RETENTION_DAYS];

export const LogGroupRetention = defineRule({
  id: 'MLF-LOGS-2',
  name: 'LogGroupRetention',
  severity: 'medium',
  controls: ['CWL-RETENTION'],
  scanners: { checkov: ['CKV_AWS_66', 'CKV_AWS_338'], kics: ['ef0b316a-211e-42f1-888e-64efe172b755'], terrascan: ['AC_AWS_0452', 'AC_AWS_0041'] },
  resourceTypes: ['aws_cloudwatch_log_group'],
  info: 'retention_in_days is set: one of 365, 400, 545, 731, 1827, 3653 in production; a KICS-accepted value elsewhere.',
  explanation: 'Only those six values pass checkov (>= 365), KICS (fixed list, no 1096/2192/...) and Terrascan (not 0) together.',
  evaluate(group, stack) {
    return requireOneOf(group.config.retention_in_days, stack.production ? PRODUCTION_RETENTION_DAYS : ACCEPTED_RETENTION_DAYS, `retention_in_days${stack.production ? ' (production)' : ''}`);
  },
});
