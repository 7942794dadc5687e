/**
 * `mlflow-infra validate`: real-Terraform validation of the synthesized stacks (see
 * `src/terraform/validate-stack.ts`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkStacks, Command, parseCommandArgs, UsageError } from '../command';
import { TerraformUnavailableError, validateStack, StackValidationResult } from '../../terraform';

const usage = `Usage: mlflow-infra validate [--stack <name>]... [--outdir <dir>] [--json]

Copies each synthesized stack (cdktf.out/stacks/<name>/cdk.tf.json) to a temporary directory, adds an
override file (local backend, fake credentials, the AWS provider's skip_* settings), stubs random_*
resources with terraform_data (the random provider cannot be installed offline; each stub is printed),
then runs terraform init (providers from the filesystem mirror only) and plan -refresh=false from an
empty state (plan validates the configuration first, as terraform validate does). Needs terraform on PATH (or TERRAFORM_BINARY) and the AWS provider mirror
(MLFLOW_INFRA_PROVIDER_MIRROR, default /opt/tf-plugins).

Options:
  --stack <name>   validate only this stack (repeatable); default: every stack in the manifest
  --outdir <dir>   synth output directory (default: cdktf.out)
  --json           print the results as JSON

Exit codes:
  0  every stack is valid and plans with no unexpected warning
  1  an error or unexpected warning, or terraform / the provider mirror is missing
 64  usage error
 77  SKIPPED, not passed: terraform or the provider mirror is missing and
     MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1 asked for a skip (77 is what test harnesses such as
     automake and meson read as "skipped"); with --json: {"skipped": true, "reason", "stacks"}`;

/** Exit code of a run that validated nothing because terraform is missing and the opt-out asked for a skip. */
export const EXIT_SKIPPED = 77;

export const validateCommand: Command = {
  path: ['validate'],
  summary: 'validate and plan every synthesized stack with real Terraform, offline',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      stack: { type: 'string', multiple: true },
      outdir: { type: 'string', default: 'cdktf.out' },
      json: { type: 'boolean', default: false },
    });
    const outdir = path.resolve(io.cwd, values.outdir!);
    const manifestFile = path.join(outdir, 'manifest.json');
    if (!fs.existsSync(manifestFile)) throw new UsageError(`${manifestFile} does not exist: run \`npm run synth\` first`);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const known = Object.keys(manifest.stacks).sort();
    const stacks = values.stack ?? known;
    checkStacks(stacks, known, 'synthesized stacks');

    const results: StackValidationResult[] = [];
    for (const [i, stack] of stacks.entries()) {
      io.stderr(`[${i + 1}/${stacks.length}] ${stack}\n`);
      const stackJson = JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[stack].synthesizedStackPath), 'utf8'));
      try {
        results.push(await validateStack(stack, stackJson, (line) => io.stderr(`${line}\n`), io.env));
      } catch (err) {
        if (!(err instanceof TerraformUnavailableError)) throw err;
        const banner = `!!! ${err.message}\n!!! NOTHING WAS VALIDATED WITH TERRAFORM.\n`;
        if (io.env.MLFLOW_INFRA_ALLOW_NO_TERRAFORM === '1') {
          io.stderr(`${banner}!!! MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1: reporting this as a skip (exit ${EXIT_SKIPPED}), not a pass.\n`);
          if (values.json) io.stdout(JSON.stringify({ skipped: true, reason: err.message, stacks }, null, 2) + '\n');
          return EXIT_SKIPPED;
        }
        io.stderr(banner);
        return 1;
      }
    }
    if (values.json) io.stdout(JSON.stringify(results, null, 2) + '\n');
    else {
      for (const r of results) {
        const planned = r.planned ? ` (plan from empty state: ${r.planned.add} to add, ${r.planned.change} to change, ${r.planned.remove} to destroy)` : '';
        io.stdout(`${r.ok ? 'ok  ' : 'FAIL'} ${r.stack}${planned}\n`);
        for (const w of r.expectedWarnings) io.stdout(`     expected warning, ${w}\n`);
        for (const d of r.diagnostics) io.stdout(`     ${d.severity} [${d.phase}] ${d.summary}${d.detail ? `\n       ${d.detail.split('\n').join('\n       ')}` : ''}\n`);
      }
    }
    return results.every((r) => r.ok) ? 0 : 1;
  },
};
