/**
 * `mlflow-infra apply <stack> --plan <saved plan>`: applies a saved plan only when its review (recorded
 * by `mlflow-infra plan`, see src/plan-review/saved-plan.ts) passed the guard for this stack, these
 * plan bytes, this cdk.tf.json and these allow-lists.
 */
import * as path from 'node:path';
import { checkStacks, Command, parseCommandArgs, usageText } from '../command';
import { EXIT, UsageError } from '../../errors';
import { allowDestroyEntries, lockFlags, LOOP_ONLY_OPTIONS, REVIEW_OPTIONS, reviewFlags } from '../review-support';
import { ProcessRunner, spawnRunner } from '../../plan-review/loop';
import { applyProblems } from '../../plan-review/saved-plan';
import { findTerraform, TerraformUnavailableError } from '../../terraform/binary';
import { synthesizedStacks } from './plan';

/** The options of apply: the saved plan, the review options that decide the guard (as given to plan), the lock timeout. */
const options = {
  plan: { type: 'string', value: '<file>', help: 'the saved plan (required), e.g. cdktf.out/stacks/<stack>/tfplan' },
  'allow-destroy': { ...REVIEW_OPTIONS['allow-destroy'], help: 'as given to plan (repeatable)' },
  'allow-destroy-file': { ...REVIEW_OPTIONS['allow-destroy-file'], help: 'as given to plan (repeatable)' },
  'protect-type': { ...REVIEW_OPTIONS['protect-type'], help: 'as given to plan (repeatable)' },
  'lock-timeout': { ...LOOP_ONLY_OPTIONS['lock-timeout'], help: 'wait this long for the state lock (terraform -lock-timeout)' },
} as const;

/** What terraform prints when the state changed after the plan was made. */
const STALE = 'Saved plan is stale';

const usage = usageText({
  synopsis: 'Usage: mlflow-infra apply <stack> --plan <saved plan> [--allow-destroy <address>]... [--allow-destroy-file <path>]... [--protect-type <type>]... [--lock-timeout <duration>]',
  about: `Applies exactly what was reviewed: the saved plan that \`mlflow-infra plan <stack>\` made
(cdktf.out/stacks/<stack>/tfplan) and reviewed, and only when its review record
(<plan>.review.json, written by plan) says:
  - the plan is for <stack>;
  - the plan file is the one reviewed (SHA-256);
  - cdktf.out/stacks/<stack>/cdk.tf.json is unchanged since the plan (no new synth in between);
  - the review passed the guard (exit 0 or 2; a blocked or errored review is never applied);
  - the allow-lists are the ones the review used: pass the same --allow-destroy,
    --allow-destroy-file and --protect-type options (plan prints the exact apply command).
Then runs: terraform -chdir=cdktf.out/stacks/<stack> apply -input=false [-lock-timeout=D] <plan>.
Terraform refuses a plan whose state changed since it was made ("Saved plan is stale"): that is a
refusal too. Terraform's output goes to stderr. terraform is found on PATH or TERRAFORM_BINARY.`,
  options,
  after: `Exit codes:
  0  applied
  1  error: terraform failed while applying, an unreadable allow-list, terraform missing
  3  refused, nothing applied: no review record, another stack's plan, a changed plan file, a
     stale plan (new synth, or terraform: state changed), a review that did not pass, different
     allow-lists
 64  usage error`,
});

/** `apply`; `runner` is injectable for tests. */
export function makeApplyCommand(runner?: ProcessRunner): Command {
  return {
    path: ['apply'],
    summary: 'Apply a saved plan, only if its review (by `plan`) passed for this stack, plan file and allow-lists',
    options,
    usage,
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(argv, options, true);
      if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing the stack name (e.g. mlflow-staging)' : `expected one stack, got ${positionals.length}: ${positionals.join(' ')}`);
      if (values.plan === undefined || values.plan === '') throw new UsageError('missing --plan <saved plan> (the tfplan that `mlflow-infra plan <stack>` saved and reviewed)');
      const stack = positionals[0];
      checkStacks([stack], synthesizedStacks(io.cwd), 'synthesized stacks');
      const { lockTimeout } = lockFlags({ 'lock-timeout': values['lock-timeout'] });
      const flags = reviewFlags({ ...values, format: 'text' });
      const name = 'mlflow-infra apply';
      const allowDestroy = allowDestroyEntries(flags, io.cwd).map((a) => a.address);
      const stackDir = path.posix.join('cdktf.out', 'stacks', stack);
      const planFile = path.resolve(io.cwd, values.plan);
      const { problems, record } = applyProblems({ planArg: values.plan, planFile, stack, stackFile: path.join(io.cwd, stackDir, 'cdk.tf.json'), allowDestroy, protectTypes: flags.protectTypes });
      if (problems.length > 0) {
        io.stderr(`${name}: refused, nothing was applied (${problems.length} reason${problems.length > 1 ? 's' : ''}):\n${problems.map((p) => `  - ${p}\n`).join('')}`);
        return EXIT.refused;
      }
      const terraform = findTerraform(io.env);
      if (!terraform) {
        throw new TerraformUnavailableError(`terraform was not found (${io.env.TERRAFORM_BINARY ? `TERRAFORM_BINARY=${io.env.TERRAFORM_BINARY} is not an executable file` : 'not on PATH; set TERRAFORM_BINARY'})`);
      }
      io.stderr(`${name}: the review of ${values.plan} passed (exit ${record!.exitCode}${record!.mode === 'drift' ? ', a refresh-only plan' : ''}); applying it\n`);
      const args = [`-chdir=${stackDir}`, 'apply', '-input=false', ...(lockTimeout !== undefined ? [`-lock-timeout=${lockTimeout}`] : []), planFile];
      io.stderr(`==> terraform ${args.join(' ')}\n`);
      const result = await (runner ?? spawnRunner(io.stderr)).run(terraform, args, { cwd: io.cwd, env: { ...io.env, TF_IN_AUTOMATION: '1' }, capture: false });
      if (result.code !== 0) {
        if (result.output.includes(STALE)) {
          io.stderr(`${name}: refused by terraform: the plan is stale (the state changed since it was planned, e.g. it was already applied); nothing was applied: plan and review again\n`);
          return EXIT.refused;
        }
        io.stderr(`${name}: terraform apply failed (exit ${result.code}) in ${stackDir}; see its output above\n`);
        return 1;
      }
      io.stdout(`applied ${values.plan} to ${stack}\n`);
      return 0;
    },
  };
}

export const applyCommand: Command = makeApplyCommand();
