/**
 * The policy pack: a cdktf Aspect (`Aspects.of(stack).add(new PolicyPack())`) that evaluates every
 * rule on every Terraform resource (and provider block) of the stacks it visits, applies
 * suppressions, and keeps the findings for the report. Evaluation is kept apart from reporting
 * (see ./report.ts), as in cdk-nag.
 */
import { IConstruct } from 'constructs';
import { Annotations, IAspect, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { StackModel, TerraformDocument } from './model';
import { ALL_RULES } from './rules';
import { productionOf } from '../constructs/stack-context';
import { reasonProblem, ScopedSuppression, suppressionsOf } from '../constructs/suppress';
import { ADDRESS_SUPPRESSIONS, AddressSuppression } from './suppressions';
import { inspects, Rule, RuleStatus, Severity, unknown } from './types';

/** Pseudo rule id of findings about suppressions themselves (no reason, unknown rule id). */
export const SUPPRESSION_RULE_ID = 'MLF-SUPPRESSION';

export interface Finding {
  readonly stack: string;
  readonly address: string;
  readonly resourceType: string;
  /** Construct path of the resource (without the stack), for locating it in code. */
  readonly constructPath: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  readonly status: RuleStatus;
  readonly detail?: string;
  /** Set when a fail/unknown finding is suppressed. */
  readonly suppression?: { readonly reason: string; readonly declaredAt: string };
}

export interface StackFindings {
  readonly stack: string;
  readonly production: boolean;
  readonly findings: Finding[];
  /** Valid suppressions that matched no failing finding anywhere in their scope (stale, or for another configuration). */
  readonly unusedSuppressions: { id: string; reason: string; declaredAt: string }[];
}

export interface PolicyPackOptions {
  /** @default ALL_RULES */
  readonly rules?: readonly Rule[];
  /** @default ADDRESS_SUPPRESSIONS (src/policy/suppressions.ts) */
  readonly addressSuppressions?: readonly AddressSuppression[];
  /**
   * Forces the production flag for every stack.
   * @default the stack's construct context `mlflow-infra:production` (src/constructs/stack-context.ts), which
   * MlflowStack sets from `config.production`; false when nothing sets it
   */
  readonly production?: boolean;
  /** Also add cdktf annotations: errors for unsuppressed failures, warnings for unknowns. @default false */
  readonly annotate?: boolean;
}

interface StackState {
  readonly model: StackModel;
  readonly result: StackFindings;
  readonly visited: Set<string>;
  readonly reportedInvalid: Set<string>;
  /** Valid suppression declarations seen, and those that suppressed something, by {@link keyOf}. */
  readonly declared: Map<string, ScopedSuppression>;
  readonly used: Set<string>;
}

export class PolicyPack implements IAspect {
  private readonly rules: readonly Rule[];
  private readonly ruleIds: Set<string>;
  private readonly addressSuppressions: readonly AddressSuppression[];
  private readonly stacks = new Map<TerraformStack, StackState>();

  constructor(private readonly options: PolicyPackOptions = {}) {
    this.rules = options.rules ?? ALL_RULES;
    this.ruleIds = new Set(this.rules.map((r) => r.id));
    this.addressSuppressions = options.addressSuppressions ?? ADDRESS_SUPPRESSIONS;
  }

  visit(node: IConstruct): void {
    const isResource = TerraformResource.isTerraformResource(node);
    if (!isResource && !TerraformProvider.isTerraformProvider(node)) return;
    const stack = TerraformStack.of(node);
    const state = this.stateOf(stack);
    const address = isResource
      ? `${(node as TerraformResource).terraformResourceType}.${(node as TerraformResource).friendlyUniqueId}`
      : providerAddress(node as TerraformProvider);
    if (state.visited.has(address)) return;
    state.visited.add(address);
    const resource = state.model.get(address);
    if (!resource) return;

    const constructPath = node.node.scopes.slice(node.node.scopes.indexOf(stack) + 1).map((s) => s.node.id).join('/');
    const suppressions = this.validSuppressions(node, stack, address, state, constructPath);
    for (const rule of this.rules) {
      if (!inspects(rule, resource.type)) continue;
      let outcome;
      try {
        outcome = rule.evaluate(resource, state.model);
      } catch (err) {
        // Like cdk-nag's CdkNagValidationFailure: a rule that cannot evaluate is a warning, not a pass.
        outcome = unknown(`the rule could not evaluate this resource: ${(err as Error).message}`);
      }
      const match = outcome.status === 'fail' || outcome.status === 'unknown' ? suppressions.find((s) => s.id === rule.id) : undefined;
      if (match) state.used.add(keyOf(match));
      const finding: Finding = {
        stack: state.result.stack,
        address,
        resourceType: resource.type,
        constructPath,
        ruleId: rule.id,
        ruleName: rule.name,
        severity: rule.severity,
        status: outcome.status,
        detail: outcome.detail,
        suppression: match ? { reason: match.reason.trim(), declaredAt: match.declaredAt } : undefined,
      };
      state.result.findings.push(finding);
      if (this.options.annotate) annotate(node, rule, finding);
    }
  }

  /** Findings per visited stack, in stack-name order. */
  results(): StackFindings[] {
    return [...this.stacks.values()]
      .map((s) => {
        const unused = [...s.declared.entries()].filter(([k]) => !s.used.has(k)).map(([, d]) => ({ id: d.id, reason: d.reason.trim(), declaredAt: d.declaredAt }));
        unused.sort((a, b) => a.declaredAt.localeCompare(b.declaredAt) || a.id.localeCompare(b.id));
        return { ...s.result, unusedSuppressions: unused };
      })
      .sort((a, b) => a.stack.localeCompare(b.stack));
  }

  private stateOf(stack: TerraformStack): StackState {
    let state = this.stacks.get(stack);
    if (!state) {
      const production = this.options.production ?? productionOf(stack) ?? false;
      const doc = stack.toTerraform() as TerraformDocument;
      state = {
        model: new StackModel(stack.node.id, production, doc),
        result: { stack: stack.node.id, production, findings: [], unusedSuppressions: [] },
        visited: new Set(),
        reportedInvalid: new Set(),
        declared: new Map(),
        used: new Set(),
      };
      this.stacks.set(stack, state);
    }
    return state;
  }

  /** Construct and address suppressions for a resource; invalid ones become findings. */
  private validSuppressions(node: IConstruct, stack: TerraformStack, address: string, state: StackState, constructPath: string): ScopedSuppression[] {
    const fromAddress: ScopedSuppression[] = this.addressSuppressions
      .filter((s) => s.address === address && (!s.stacks || s.stacks.includes(stack.node.id)))
      .map((s) => ({ id: s.id, reason: s.reason, declaredAt: `src/policy/suppressions.ts (${address})` }));
    const all = [...suppressionsOf(node), ...fromAddress];
    const valid: ScopedSuppression[] = [];
    for (const s of all) {
      const problem = reasonProblem(s.reason) ?? (this.ruleIds.has(s.id) ? undefined : `names the unknown rule id "${s.id}"`);
      const key = keyOf(s);
      if (!problem) {
        valid.push(s);
        state.declared.set(key, s);
        continue;
      }
      if (state.reportedInvalid.has(key)) continue;
      state.reportedInvalid.add(key);
      const finding: Finding = {
        stack: state.result.stack,
        address,
        resourceType: address.split('.')[0],
        constructPath,
        ruleId: SUPPRESSION_RULE_ID,
        ruleName: 'SuppressionHasReason',
        severity: 'high',
        status: 'fail',
        detail: `the suppression of ${s.id} declared at ${s.declaredAt} ${problem}; it suppresses nothing`,
      };
      state.result.findings.push(finding);
      if (this.options.annotate) Annotations.of(node).addError(`[${SUPPRESSION_RULE_ID}] ${finding.detail}`);
    }
    return valid;
  }
}

function keyOf(s: ScopedSuppression): string {
  return `${s.declaredAt}|${s.id}|${s.reason}`;
}

function providerAddress(provider: TerraformProvider): string {
  return provider.alias ? `provider.${provider.terraformResourceType}.${provider.alias}` : `provider.${provider.terraformResourceType}`;
}

function annotate(node: IConstruct, rule: Rule, finding: Finding): void {
  const text = `[${rule.id}] ${rule.info}${finding.detail ? ` (${finding.detail})` : ''}`;
  if (finding.suppression) Annotations.of(node).addInfo(`${text} suppressed: ${finding.suppression.reason}`);
  else if (finding.status === 'fail') Annotations.of(node).addError(text);
  else if (finding.status === 'unknown') Annotations.of(node).addWarning(text);
}
