/**
 * Suppressions: a rule that cannot be satisfied for a sound reason is suppressed where the
 * resource is defined, with a written reason the report prints. Stored as construct metadata, so a
 * suppression on a construct covers every resource below it (like cdk-nag's applyToChildren).
 *
 *     suppress(this.logs.bucket, [{ id: 'MLF-S3-2', reason: 'ELB access-log delivery supports only SSE-S3.' }]);
 *
 * A suppression whose reason is not at least one written sentence (see {@link reasonProblem}) does
 * not suppress anything: the pack reports it as a failure of its own.
 */
import { IConstruct } from 'constructs';

export const SUPPRESSION_METADATA = 'mlflow-infra/policy-suppressions';

export interface Suppression {
  /** Rule id, e.g. `MLF-S3-2`. */
  readonly id: string;
  /** Why the rule cannot or need not hold here: at least one sentence (>= 20 characters, ends with a period). */
  readonly reason: string;
}

export const MIN_REASON_LENGTH = 20;

/** What is wrong with a suppression reason, or undefined when it is acceptable. */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason.trim() === '') return 'has no reason';
  const text = reason.trim();
  if (text.length < MIN_REASON_LENGTH) return `has a reason of ${text.length} characters ("${text}"); write at least one sentence of ${MIN_REASON_LENGTH} or more characters`;
  if (!/[.!]$/.test(text)) return `has a reason that is not a sentence ("${text}"); end it with a period`;
  return undefined;
}

/** Suppresses rules on `construct` and every resource below it. */
export function suppress(construct: IConstruct, suppressions: readonly Suppression[]): void {
  construct.node.addMetadata(SUPPRESSION_METADATA, suppressions.map((s) => ({ id: s.id, reason: s.reason })));
}

export interface ScopedSuppression extends Suppression {
  /** Construct path where the suppression was declared. */
  readonly declaredAt: string;
}

/** Suppressions that apply to `construct`: its own and its ancestors', nearest last. */
export function suppressionsOf(construct: IConstruct): ScopedSuppression[] {
  const out: ScopedSuppression[] = [];
  for (const scope of construct.node.scopes) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== SUPPRESSION_METADATA) continue;
      for (const s of entry.data as Suppression[]) out.push({ id: s.id, reason: s.reason, declaredAt: scope.node.path });
    }
  }
  return out;
}
