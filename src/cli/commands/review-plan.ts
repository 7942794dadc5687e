/**
 * `mlflow-infra review-plan <plan.json|->`: reviews `terraform show -json` output (see
 * src/plan-review). It loads alone (src/cli/main.ts): it imports nothing of the other commands.
 */
import * as v8 from 'node:v8';
import { Command, parseCommandArgs, usageText } from '../command';
import { UsageError } from '../../errors';
import { EXIT_CODES_USAGE, printReviewOf, REVIEW_OPTIONS, reviewFlags, reviewPlanArgument } from '../review-support';

/** The options `review-plan` parses (the review options and `--refresh-only`). */
export const REVIEW_PLAN_OPTIONS = {
  ...REVIEW_OPTIONS,
  'refresh-only': { type: 'boolean', default: false, help: 'The plan is a refresh-only plan: real drift counts as changes (exit 2).' },
} as const;

export const reviewPlanCommand: Command = {
  path: ['review-plan'],
  summary: 'Review `terraform show -json` output: grouped changes, drift, IAM/SG changes, stateful-resource guard',
  options: REVIEW_PLAN_OPTIONS,
  usage: usageText({
    synopsis: 'Usage: mlflow-infra review-plan <plan.json|-> [options]',
    about: `Reviews the JSON of a saved plan (terraform plan -out=tfplan && terraform show -json tfplan > plan.json;
any plan format version 0.x/1.x, UTF-8 or UTF-16 with a byte-order mark; "-" reads stdin).
Shows counts per action, resources grouped by action with attribute diffs (sensitive values masked,
unknown values as "(known after apply)"), drift classified (deleted, reverted, relevant, absorbed,
noise), output changes, and IAM policy / security-group changes with broadened permissions first.`,
    options: REVIEW_PLAN_OPTIONS,
    after: EXIT_CODES_USAGE,
  }),
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, REVIEW_PLAN_OPTIONS, true);
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing the plan JSON file (or - for stdin)' : `expected one plan file, got ${positionals.length}: ${positionals.join(' ')}`);
    const flags = reviewFlags(values);
    // The streamed review keeps little alive, but V8 still doubles its young generation up to 16 MiB
    // (twice: two semi-spaces) as the review's results survive: that would be a third of the peak
    // memory on a 50 MiB plan. Kept at its first size instead, at no cost in CPU
    // (bench/review-plan/run; V8 reads this flag whenever it would grow the young generation).
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    return printReviewOf((options) => reviewPlanArgument(positionals[0], io, options), flags, io, values['refresh-only']);
  },
};
