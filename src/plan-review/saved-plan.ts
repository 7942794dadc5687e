/**
 * Apply exactly what was reviewed. When `mlflow-infra plan <stack>` saves a plan
 * (cdktf.out/stacks/<stack>/tfplan) and reviews it, it records the review next to the plan
 * (`tfplan.review.json`): the stack, the SHA-256 of the plan file and of the stack's cdk.tf.json,
 * the allow-lists the guard used and whether the review passed. `mlflow-infra apply <stack> --plan
 * <file>` runs `terraform apply <file>` only when that record matches: the same stack, the same
 * plan bytes, the same cdk.tf.json, the same allow-lists, and a review that passed the guard.
 * Terraform itself refuses a saved plan whose state changed since it was made (stale).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isObject } from '../terraform-json/json';
import { readErrorText } from '../fs-errors';

/** The record's file: the plan file's path plus this suffix. */
export const REVIEW_RECORD_SUFFIX = '.review.json';

export interface ReviewRecord {
  readonly version: 1;
  readonly stack: string;
  readonly mode: 'plan' | 'drift';
  /** SHA-256 (hex) of the saved plan file. */
  readonly planSha256: string;
  /** SHA-256 (hex) of the stack's cdk.tf.json the plan was made from. */
  readonly stackSha256: string;
  /** Addresses the guard let through (`--allow-destroy` and `--allow-destroy-file` entries), sorted, unique. */
  readonly allowDestroy: readonly string[];
  /** Extra guarded types (`--protect-type`), sorted, unique. */
  readonly protectTypes: readonly string[];
  /** The review's exit code (0 no changes, 2 changes, 3 blocked, 1 error). */
  readonly exitCode: number;
  /** The review passed the guard: exit 0 or 2. */
  readonly passed: boolean;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function recordFile(planFile: string): string {
  return planFile + REVIEW_RECORD_SUFFIX;
}

const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();

/** What {@link writeReviewRecord} records: the review's facts, and the two files it hashes. */
export type RecordInput = Pick<ReviewRecord, 'stack' | 'mode' | 'allowDestroy' | 'protectTypes' | 'exitCode'> & {
  readonly planFile: string;
  readonly stackFile: string;
};

/** Writes the record next to the plan (atomically: a half-written record never stands). */
export function writeReviewRecord(input: RecordInput): ReviewRecord {
  const record: ReviewRecord = {
    version: 1,
    stack: input.stack,
    mode: input.mode,
    planSha256: sha256File(input.planFile),
    stackSha256: sha256File(input.stackFile),
    allowDestroy: sortedUnique(input.allowDestroy),
    protectTypes: sortedUnique(input.protectTypes),
    exitCode: input.exitCode,
    passed: input.exitCode === 0 || input.exitCode === 2,
  };
  const file = recordFile(input.planFile);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2) + '\n');
  fs.renameSync(`${file}.tmp`, file);
  return record;
}

/** Removes a plan's record (before a new plan is made, so an old record never describes a new plan). */
export function removeReviewRecord(planFile: string): void {
  fs.rmSync(recordFile(planFile), { force: true });
}

/** What apply is asked to do, checked against the record: `stackFile` is the stack's cdk.tf.json now. */
export type ApplyCheck = Omit<RecordInput, 'mode' | 'exitCode'> & {
  /** The plan file as given on the command line (for messages); `planFile` is it resolved. */
  readonly planArg: string;
};

function difference(label: string, reviewed: readonly string[], given: readonly string[]): string | undefined {
  const now = sortedUnique(given);
  if (JSON.stringify(now) === JSON.stringify(reviewed)) return undefined;
  const added = now.filter((a) => !reviewed.includes(a));
  const removed = reviewed.filter((a) => !now.includes(a));
  const parts = [...(added.length > 0 ? [`given now but not at review: ${added.join(', ')}`] : []), ...(removed.length > 0 ? [`reviewed with but not given now: ${removed.join(', ')}`] : [])];
  return `the plan was reviewed with a different ${label} (${parts.join('; ')}): apply with the same allow-lists, or plan and review again`;
}

/**
 * Why the saved plan must not be applied (every reason), or an empty list. Reads the plan, its
 * record and the stack file; an unreadable plan or record is a reason too.
 */
export function applyProblems(check: ApplyCheck): { problems: string[]; record?: ReviewRecord } {
  const { planArg, planFile, stack } = check;
  let planHash: string;
  try {
    planHash = sha256File(planFile);
  } catch (err) {
    return { problems: [`cannot read the saved plan ${planArg}: ${readErrorText(err as NodeJS.ErrnoException)}`] };
  }
  const recordPath = recordFile(planFile);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(recordPath, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ? readErrorText(err as NodeJS.ErrnoException) : `not JSON (${(err as Error).message})`;
    return {
      problems: [`${planArg} has no review record (${path.basename(recordPath)}: ${why}): only a plan saved and reviewed by \`mlflow-infra plan ${stack}\` can be applied`],
    };
  }
  if (!isObject(raw) || raw.version !== 1 || typeof raw.stack !== 'string' || typeof raw.planSha256 !== 'string') {
    return { problems: [`${path.basename(recordPath)} is not a review record of this version: plan and review again`] };
  }
  const record = raw as unknown as ReviewRecord;
  const problems: string[] = [];
  if (record.stack !== stack) problems.push(`${planArg} is a plan for stack '${record.stack}', not '${stack}'`);
  if (record.planSha256 !== planHash) problems.push(`${planArg} changed since it was reviewed (SHA-256 ${planHash.slice(0, 12)}…, reviewed ${record.planSha256.slice(0, 12)}…): plan and review again`);
  let stackHash: string | undefined;
  try {
    stackHash = sha256File(check.stackFile);
  } catch (err) {
    problems.push(`cannot read ${check.stackFile}: ${readErrorText(err as NodeJS.ErrnoException)}`);
  }
  if (stackHash !== undefined && record.stack === stack && stackHash !== record.stackSha256) {
    problems.push(`the plan is stale: cdktf.out/stacks/${stack}/cdk.tf.json changed since it was planned (a new synth): plan and review again`);
  }
  if (!record.passed) problems.push(`its review did not pass the guard (exit ${record.exitCode}${record.exitCode === 3 ? ': blocked' : ': error'}): nothing that failed review is applied`);
  const allow = difference('--allow-destroy list', record.allowDestroy ?? [], check.allowDestroy);
  if (allow) problems.push(allow);
  const protect = difference('--protect-type list', record.protectTypes ?? [], check.protectTypes);
  if (protect) problems.push(protect);
  return { problems, record };
}
