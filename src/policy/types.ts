/**
 * The rule model of the policy pack (in the spirit of cdk-nag): a rule is a pure function of one
 * synthesized resource (its Terraform JSON, references as `${type.name.attr}` strings) and the stack
 * it lives in, with a three-way result plus `unknown` for values that cannot be evaluated.
 */
import type { StackModel, TfResource } from './model';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * `unknown`: the rule needed a literal value and found an unresolved expression (a variable, a
 * function call, an attribute of another resource). Reported as a warning, never a silent pass.
 */
export type RuleStatus = 'pass' | 'fail' | 'not-applicable' | 'unknown';

export interface RuleOutcome {
  readonly status: RuleStatus;
  /** What was found (for fail/unknown) or why the rule does not apply. */
  readonly detail?: string;
}

/** Scanner rule ids the rule stands for, as in `../shared/security/rules.json`. */
export interface ScannerRefs {
  readonly checkov?: readonly string[];
  readonly trivy?: readonly string[];
  readonly kics?: readonly string[];
  readonly terrascan?: readonly string[];
}

/** In {@link Rule.resourceTypes}: the rule inspects every resource (not provider blocks). */
export const ANY_RESOURCE = '*';

/** Does `rule` inspect resources of `type`? */
export function inspects(rule: Pick<Rule, 'resourceTypes'>, type: string): boolean {
  return rule.resourceTypes.includes(type) || (rule.resourceTypes.includes(ANY_RESOURCE) && !type.startsWith('provider.'));
}

export interface Rule {
  /** `MLF-<SERVICE>-<n>`, stable: suppressions and CI logs refer to it. */
  readonly id: string;
  /** The rule's file name, e.g. `S3BucketVersioned`. */
  readonly name: string;
  readonly severity: Severity;
  /** Controls of rules.json this rule implements (empty for checks no scanner has). */
  readonly controls: readonly string[];
  readonly scanners: ScannerRefs;
  /** Terraform resource types the rule inspects (`provider.aws` for the provider block, {@link ANY_RESOURCE} for all resources). */
  readonly resourceTypes: readonly string[];
  /** One line: what must hold. */
  readonly info: string;
  /** Why it matters and how to comply. */
  readonly explanation: string;
  evaluate(resource: TfResource, stack: StackModel): RuleOutcome;
}

export const pass = (detail?: string): RuleOutcome => ({ status: 'pass', detail });
export const fail = (detail: string): RuleOutcome => ({ status: 'fail', detail });
export const notApplicable = (detail?: string): RuleOutcome => ({ status: 'not-applicable', detail });
export const unknown = (detail: string): RuleOutcome => ({ status: 'unknown', detail });

/** Combines outcomes: any fail wins, then unknown, then pass; all not-applicable stays N/A. */
export function combine(outcomes: readonly RuleOutcome[]): RuleOutcome {
  const failed = outcomes.filter((o) => o.status === 'fail');
  if (failed.length > 0) return fail(failed.map((o) => o.detail).join('; '));
  const unknowns = outcomes.filter((o) => o.status === 'unknown');
  if (unknowns.length > 0) return unknown(unknowns.map((o) => o.detail).join('; '));
  const passed = outcomes.filter((o) => o.status === 'pass');
  if (passed.length > 0) return pass(passed.map((o) => o.detail).filter(Boolean).join('; ') || undefined);
  return notApplicable(outcomes.map((o) => o.detail).filter(Boolean).join('; ') || undefined);
}

/** Declares a rule; the explicit type keeps each rule file to its data and its function. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
