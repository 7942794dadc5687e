/**
 * How the pack covers the 121 scanner-independent controls of ../shared/security/rules.json:
 * each control is implemented by the rules that list it in `controls`, or is listed here with the
 * reason it has no rule. A test asserts that every control of rules.json is one or the other.
 */
import { ALL_RULES } from './rules';
import { Rule } from './types';

export type UncoveredKind = 'not-applicable' | 'account-level' | 'choice';

export interface UncoveredControl {
  readonly kind: UncoveredKind;
  readonly reason: string;
}

/** Controls without a rule, and why. */
export const UNCOVERED_CONTROLS: Readonly<Record<string, UncoveredControl>> = {
  'ALB-CROSS-ZONE': {
    kind: 'not-applicable',
    reason: 'CKV_AWS_152 evaluates only network/gateway load balancers; application load balancers always balance across zones.',
  },
  'CW-CIS-ALARMS': {
    kind: 'account-level',
    reason:
      'The 15 KICS CIS queries fire only when a stack declares aws_cloudwatch_log_metric_filter (none does) and AVD-AWS-0147..0160/0174 run in CIS compliance mode only; CIS account monitoring belongs to the organisation baseline.',
  },
  'RDS-BACKUP-PLAN': {
    kind: 'choice',
    reason: 'CHOICE: automated backups with 7-35 days of point-in-time recovery (MLF-RDS-5) are built in; AWS Backup (vault lock, cross-account copies) is an account-level programme, not part of this stack.',
  },
  'RDS-AUDIT-LOG': { kind: 'not-applicable', reason: "CKV_AWS_325 applies to aurora/aurora-mysql/mysql only; the stacks run PostgreSQL (its logs are exported, MLF-RDS-6)." },
  'RDS-BACKTRACK': { kind: 'not-applicable', reason: 'Backtrack (CKV_AWS_326) exists for Aurora MySQL only; the stacks run PostgreSQL.' },
  'S3-EVENT-NOTIFICATIONS': {
    kind: 'choice',
    reason: 'CHOICE: nothing consumes artifact object events; an aws_s3_bucket_notification { eventbridge = true } is the cheap fix once a consumer exists (CKV2_AWS_62).',
  },
  'S3-OBJECT-LEVEL-TRAIL': { kind: 'account-level', reason: 'AVD-AWS-0171/0172 (CIS only) need a CloudTrail data-event trail, which is owned by the account-level trail.' },
  'ACCESS-ANALYZER': { kind: 'account-level', reason: 'KICS e592a0c5 (upstream only) wants an aws_accessanalyzer_analyzer: an account-level control owned by the organisation baseline.' },
};

export interface ControlCoverage {
  readonly control: string;
  /** Rule ids implementing the control (empty when uncovered). */
  readonly rules: readonly string[];
  readonly uncovered?: UncoveredControl;
}

/** Coverage of each control, in the order given. */
export function coverageOf(controls: readonly string[], rules: readonly Rule[] = ALL_RULES): ControlCoverage[] {
  return controls.map((control) => ({
    control,
    rules: rules.filter((r) => r.controls.includes(control)).map((r) => r.id),
    uncovered: UNCOVERED_CONTROLS[control],
  }));
}
