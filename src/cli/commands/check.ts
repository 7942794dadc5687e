/**
 * `mlflow-infra check`: runs the policy pack (src/policy) over the shipped stacks in memory and
 * prints a report per stack.
 */
import { checkStacks, Command, notOneOf, parseCommandArgs, UsageError } from '../command';
import { environments } from '../../config/environments';
import { resolveEnvironments } from '../../config/overrides';
import { ConfigError, formatProblems, validateEnvironments } from '../../config/validate';
import type * as PolicyCheck from '../../policy-check';
import { buildReports, hasUnsuppressedFailure, render, REPORT_FORMATS, ReportFormat } from '../../policy/report';

export const checkCommand: Command = {
  path: ['check'],
  summary: 'Security policy checks (cdk-nag style rule pack) over every synthesized stack',
  usage: `Usage: mlflow-infra check [--stack <name>] [--format text|markdown|json]

Builds every stack in memory (as npm run synth does, environment overrides applied, nothing
written), runs the policy pack (rules MLF-*, see docs/policy.md) over each resource and prints a
report per stack: failed, could not be evaluated (unknown), suppressed with their reasons, passed.

Options:
  --stack <name>      Check only this stack (e.g. mlflow-production). Default: every stack.
  --format <format>   text (default), markdown (for PR comments) or json.
  --json              Same as --format json.

Exit codes:
  0   no unsuppressed failure (unknown results are warnings)
  1   an unsuppressed failure (including a suppression without a valid reason), or invalid config
  64  usage error (unknown option, unknown stack or format)
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { stack: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean', default: false } });
    const format = (values.json ? 'json' : values.format ?? 'text') as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) throw new UsageError(notOneOf('--format', String(values.format), REPORT_FORMATS));
    const { configs, problems } = resolveEnvironments(environments, io.env);
    if (values.stack !== undefined) checkStacks([values.stack], configs.map((c) => c.stackName));
    const selected = values.stack === undefined ? configs : configs.filter((c) => c.stackName === values.stack);
    io.stderr(`mlflow-infra check: building and checking ${selected.map((c) => c.stackName).join(', ')}\n`);
    // Loaded here, not at the top: building stacks pulls in cdktf and the provider resources, which
    // every other command (and `--help`) would otherwise pay for at start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checkEnvironments } = require('../../policy-check') as typeof PolicyCheck;
    let reports;
    try {
      // A stray MLFLOW_IMAGE_* variable is reported with the config's own problems.
      if (problems.length > 0) throw new ConfigError([...problems, ...validateEnvironments(selected)]);
      reports = buildReports(checkEnvironments(selected));
    } catch (err) {
      if (err instanceof ConfigError) {
        io.stderr(`mlflow-infra check: ${formatProblems(err.problems)}\n`);
        return 1;
      }
      throw err;
    }
    io.stdout(render(reports, format));
    return hasUnsuppressedFailure(reports) ? 1 : 0;
  },
};
