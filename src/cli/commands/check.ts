/**
 * `mlflow-infra check`: runs the policy pack (src/policy) over the shipped stacks in memory and
 * prints a report per stack.
 */
import { checkStacks, Command, notOneOf, parseCommandArgs, usageText } from '../command';
import { UsageError } from '../../errors';
import { environments } from '../../config/environments';
import { resolveEnvironments } from '../../config/overrides';
import { ConfigError, validateEnvironments } from '../../config/validate';
import type * as PolicyCheck from '../../policy-check';
import { buildReports, hasUnsuppressedFailure, render, REPORT_FORMATS, ReportFormat } from '../../policy/report';

const options = {
  stack: { type: 'string', value: '<name>', help: 'Check only this stack (e.g. mlflow-production). Default: every stack.' },
  format: { type: 'string', value: '<format>', help: 'text (default), markdown (for PR comments) or json.' },
  json: { type: 'boolean', default: false, help: 'Same as --format json.' },
} as const;

export const checkCommand: Command = {
  path: ['check'],
  summary: 'Security policy checks (cdk-nag style rule pack) over every synthesized stack',
  options,
  usage: usageText({
    synopsis: 'Usage: mlflow-infra check [--stack <name>] [--format text|markdown|json]',
    about: `Builds every stack in memory (as npm run synth does, environment overrides applied, nothing
written), runs the policy pack (rules MLF-*, see docs/policy.md) over each resource and prints a
report per stack: failed, could not be evaluated (unknown), suppressed with their reasons, passed.`,
    options,
    after: `Exit codes:
  0   no unsuppressed failure (unknown results are warnings)
  1   an unsuppressed failure (including a suppression without a valid reason), or invalid config
  64  usage error (unknown option, unknown stack or format)`,
  }),
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, options);
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
    // A stray MLFLOW_IMAGE_* variable is reported with the config's own problems.
    if (problems.length > 0) throw new ConfigError([...problems, ...validateEnvironments(selected)]);
    const reports = buildReports(checkEnvironments(selected));
    io.stdout(render(reports, format));
    return hasUnsuppressedFailure(reports) ? 1 : 0;
  },
};
