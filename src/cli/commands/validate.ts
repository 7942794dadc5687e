/**
 * `mlflow-infra validate`: real-Terraform validation of the synthesized stacks (see
 * `src/terraform/validate-stack.ts`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkStacks, Command, parseCommandArgs, usageText } from '../command';
import { EXIT, UsageError } from '../../errors';
import { terraformUnavailable, TerraformUnavailableError, validateStack, StackValidationResult } from '../../terraform';

const options = {
  stack: { type: 'string', multiple: true, value: '<name>', help: 'validate only this stack (repeatable); default: every stack in the manifest' },
  outdir: { type: 'string', default: 'cdktf.out', value: '<dir>', help: 'synth output directory (default: cdktf.out)' },
  json: { type: 'boolean', default: false, help: 'print the results as JSON' },
} as const;

const usage = usageText({
  synopsis: 'Usage: mlflow-infra validate [--stack <name>]... [--outdir <dir>] [--json]',
  about: `Copies each synthesized stack (cdktf.out/stacks/<name>/cdk.tf.json) to a temporary directory, adds an
override file (local backend, fake credentials, the AWS provider's skip_* settings), stubs random_*
resources with terraform_data (the random provider cannot be installed offline; each stub is printed),
then runs terraform init (providers from the filesystem mirror only) and plan -refresh=false from an
empty state (plan validates the configuration first, as terraform validate does). Needs terraform on
PATH (or TERRAFORM_BINARY) and the AWS provider mirror (MLFLOW_INFRA_PROVIDER_MIRROR, default /opt/tf-plugins).`,
  options,
  after: `Exit codes:
  0  every stack is valid and plans with no unexpected warning
  1  an error or unexpected warning, or terraform / the provider mirror is missing
 64  usage error
 77  SKIPPED, not passed: terraform or the provider mirror is missing and
     MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1 asked for a skip (77 is what test harnesses such as
     automake and meson read as "skipped"); with --json: {"skipped": true, "reason", "stacks"}`,
});

export const validateCommand: Command = {
  path: ['validate'],
  summary: 'validate and plan every synthesized stack with real Terraform, offline',
  options,
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, options);
    const outdir = path.resolve(io.cwd, values.outdir!);
    const manifestFile = path.join(outdir, 'manifest.json');
    if (!fs.existsSync(manifestFile)) throw new UsageError(`${manifestFile} does not exist: run \`npm run synth\` first`);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const known = Object.keys(manifest.stacks).sort();
    const stacks = values.stack ?? known;
    checkStacks(stacks, known, 'synthesized stacks');

    const unavailable = terraformUnavailable(io.env);
    if (unavailable) {
      const nothing = '!!! NOTHING WAS VALIDATED WITH TERRAFORM.';
      if (io.env.MLFLOW_INFRA_ALLOW_NO_TERRAFORM !== '1') throw new TerraformUnavailableError(`${unavailable.message}\n${nothing}`);
      io.stderr(`!!! ${unavailable.message}\n${nothing}\n!!! MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1: reporting this as a skip (exit ${EXIT.skipped}), not a pass.\n`);
      if (values.json) io.stdout(JSON.stringify({ skipped: true, reason: unavailable.message, stacks }, null, 2) + '\n');
      return EXIT.skipped;
    }
    const results: StackValidationResult[] = [];
    for (const [i, stack] of stacks.entries()) {
      io.stderr(`[${i + 1}/${stacks.length}] ${stack}\n`);
      const stackJson = JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[stack].synthesizedStackPath), 'utf8'));
      results.push(await validateStack(stack, stackJson, (line) => io.stderr(`${line}\n`), io.env));
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
