/**
 * `mlflow-infra drift <stack>` (`npm run drift -- <stack>`): a refresh-only plan and its drift report.
 */
import { Command, usageText } from '../command';
import { EXIT_CODES_USAGE } from '../review-support';
import { LOOP_OPTIONS, runLoopCommand } from './plan';

export const driftCommand: Command = {
  path: ['drift'],
  summary: 'Refresh-only plan for one stack and a classified drift report (npm run drift -- <stack>)',
  options: LOOP_OPTIONS,
  usage: usageText({
    synopsis: 'Usage: mlflow-infra drift <stack> [options]',
    about: `Like \`mlflow-infra plan\`, but plans with -refresh-only:
  npm run -s synth                                   (skipped with --no-synth)
  terraform -chdir=cdktf.out/stacks/<stack> init -input=false
  terraform -chdir=cdktf.out/stacks/<stack> plan -out=tfplan -input=false -refresh-only [-lock=false] [-lock-timeout=D]
  terraform -chdir=cdktf.out/stacks/<stack> show -json tfplan
Each change made outside Terraform is classified: deleted outside Terraform, noise (e.g.
tags null -> {}), or absorbed (applying the refresh-only plan records it in state).
A stateful resource deleted outside Terraform is reported as a loud warning.
Backends as for plan: a stack with the "remote" backend is refused before terraform runs (it
cannot save a plan; use a \`cloud\` block, docs/terraform-cloud.md), and a VCS-driven HCP Terraform
workspace refuses saved plans (exit 1, with what to do instead).`,
    options: LOOP_OPTIONS,
    after: EXIT_CODES_USAGE.replace('2  changes (review them)', '2  drift found (other than noise)'),
  }),
  run: (argv, io) => runLoopCommand('drift', argv, io),
};
