/**
 * `mlflow-infra plan <stack>` (`npm run plan -- <stack>`): synth, terraform init/plan/show, review.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkStacks, CliIo, Command, parseCommandArgs, usageText } from '../command';
import { UsageError } from '../../errors';
import { environments } from '../../config/environments';
import { allowDestroyEntries, EXIT_CODES_USAGE, lockFlags, LOOP_ONLY_OPTIONS, printReview, REVIEW_OPTIONS, reviewFlags } from '../review-support';
import { LoopMode, ProcessRunner, runTerraformLoop, spawnRunner } from '../../plan-review/loop';
import { parsePlanBytes } from '../../terraform-json/plan-reader';
import { removeReviewRecord, REVIEW_RECORD_SUFFIX, writeReviewRecord } from '../../plan-review/saved-plan';

/** The stack directories under `<cwd>/cdktf.out/stacks` that hold a cdk.tf.json. */
export function synthesizedStacks(cwd: string): string[] {
  const dir = path.join(cwd, 'cdktf.out', 'stacks');
  try {
    return fs.readdirSync(dir).filter((s) => fs.existsSync(path.join(dir, s, 'cdk.tf.json'))).sort();
  } catch {
    return [];
  }
}

export const LOOP_OPTIONS = { ...REVIEW_OPTIONS, ...LOOP_ONLY_OPTIONS } as const;

/** The review options to repeat on `apply` so that its allow-lists match the review's. */
function applyFlagsText(flags: ReturnType<typeof reviewFlags>): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [
    ...flags.allowDestroy.map((a) => ` --allow-destroy ${quote(a)}`),
    ...flags.allowDestroyFiles.map((f) => ` --allow-destroy-file ${quote(f)}`),
    ...flags.protectTypes.map((t) => ` --protect-type ${quote(t)}`),
  ].join('');
}

/** Runs the loop for `plan` or `drift` and prints the review; `runner` is injectable for tests. */
export async function runLoopCommand(mode: LoopMode, argv: string[], io: CliIo, runner?: ProcessRunner): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, LOOP_OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing the stack name (e.g. mlflow-staging)' : `expected one stack, got ${positionals.length}: ${positionals.join(' ')}`);
  const flags = reviewFlags(values);
  const { lock, lockTimeout } = lockFlags(values);
  const stack = positionals[0];
  // An unknown stack is a usage error before anything runs: with synth, the configured stacks (what
  // synth will write); with --no-synth, the stacks already in cdktf.out.
  checkStacks([stack], values['no-synth'] ? synthesizedStacks(io.cwd) : environments.map((e) => e.stackName), values['no-synth'] ? 'synthesized stacks' : 'stacks');
  const stackDir = path.join(io.cwd, 'cdktf.out', 'stacks', stack);
  const planFile = path.join(stackDir, 'tfplan');
  // The record describes one saved plan: an older one never stands next to a newer plan.
  removeReviewRecord(planFile);
  let planned = false;
  const load = async () => {
    const bytes = await runTerraformLoop({ stack, mode, cwd: io.cwd, env: io.env, synth: !values['no-synth'], lock, lockTimeout, runner: runner ?? spawnRunner(io.stderr), progress: io.stderr });
    planned = true;
    return parsePlanBytes(bytes, `terraform show -json (${stack})`);
  };
  const title = flags.title ?? `${mode === 'drift' ? 'Drift' : 'Plan'}: ${stack}`;
  const code = await printReview(load, { ...flags, title }, io, mode === 'drift');
  if (planned && fs.existsSync(planFile)) {
    const record = writeReviewRecord({
      stack,
      mode,
      planFile,
      stackFile: path.join(stackDir, 'cdk.tf.json'),
      allowDestroy: allowDestroyEntries(flags, io.cwd).map((a) => a.address),
      protectTypes: flags.protectTypes,
      exitCode: code,
    });
    const rel = path.posix.join('cdktf.out', 'stacks', stack, 'tfplan');
    io.stderr(
      record.passed
        ? `mlflow-infra ${mode}: review recorded in ${rel}${REVIEW_RECORD_SUFFIX}; apply exactly this plan with: node bin/mlflow-infra.js apply ${stack} --plan ${rel}${applyFlagsText(flags)}\n`
        : `mlflow-infra ${mode}: the review did not pass (exit ${code}); ${rel} will not be applied by mlflow-infra apply\n`,
    );
  }
  return code;
}

export const planCommand: Command = {
  path: ['plan'],
  summary: 'Synth, terraform init/plan/show for one stack, then review the plan (npm run plan -- <stack>)',
  options: LOOP_OPTIONS,
  usage: usageText({
    synopsis: 'Usage: mlflow-infra plan <stack> [options]',
    about: `Runs, from the project root:
  npm run -s synth                                   (skipped with --no-synth)
  terraform -chdir=cdktf.out/stacks/<stack> init -input=false
  terraform -chdir=cdktf.out/stacks/<stack> plan -out=tfplan -input=false [-lock=false] [-lock-timeout=D]
  terraform -chdir=cdktf.out/stacks/<stack> show -json tfplan
and reviews the plan like review-plan. The review is recorded next to the saved plan
(cdktf.out/stacks/<stack>/tfplan.review.json: stack, SHA-256 of the plan and of cdk.tf.json,
allow-lists, exit code), so that \`mlflow-infra apply <stack> --plan cdktf.out/stacks/<stack>/tfplan\`
applies exactly this plan, and only if the review passed (exit 0 or 2). Works with the stack's local or S3 backend, or a Terraform
Cloud \`cloud\` block (saved cloud plans need Terraform >= 1.6). A stack with the older "remote"
backend is refused before terraform runs: it cannot save a plan (docs/terraform-cloud.md).
A VCS-driven HCP Terraform workspace refuses saved plans ("Saved plans not allowed for workspaces
with a VCS connection"): plan exits 1 and says how to review the run HCP Terraform makes instead
(download its JSON plan with the API, then review-plan).
Against a real backend (S3, Terraform Cloud), plan refuses (exit 1, before terraform runs) while
the stack carries a config value that is still an example (example.com, the example account, zone
or security group id...), naming each field; a local backend (offline validation) is not refused.
terraform is found on PATH or TERRAFORM_BINARY.
Terraform's own output goes to stderr; the review goes to stdout.`,
    options: LOOP_OPTIONS,
    after: EXIT_CODES_USAGE,
  }),
  run: (argv, io) => runLoopCommand('plan', argv, io),
};
