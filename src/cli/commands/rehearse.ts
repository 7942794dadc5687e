/**
 * `mlflow-infra rehearse`: apply every synthesized stack (and other registered scenarios) to an AWS
 * API emulator with real terraform; see `src/rehearsal/index.ts`.
 */
import * as path from 'node:path';
import { Command, parseCommandArgs, usageText } from '../command';
import { UsageError } from '../../errors';
import { terraformUnavailable, TerraformUnavailableError } from '../../terraform';
import { EMULATOR_GAPS, exitCodeFor, gapListProblems, renderSummary, runScenarios, scenarios, selectScenarios, startMoto } from '../../rehearsal';

const options = {
  parallel: { type: 'string', value: '<n>', help: 'scenarios at a time (default: all)' },
  outdir: { type: 'string', default: 'cdktf.out', value: '<dir>', help: 'synth output directory (default: cdktf.out)' },
  json: { type: 'boolean', default: false, help: 'print the results as JSON' },
  list: { type: 'boolean', default: false, help: 'list the scenarios and exit' },
} as const;

const usage = usageText({
  synopsis: 'Usage: mlflow-infra rehearse [<scenario>...] [--parallel <n>] [--outdir <dir>] [--json] [--list]',
  about: `Rehearses the synthesized stacks against an AWS API emulator: for each scenario, starts its own moto
server (scripts/moto-server.py, moto 5.2.1 with the emulator gaps patched) on a free loopback port,
applies the stack with real terraform and the provider mirror, requires the following terraform plan
to show no changes (except the allow-listed emulator gaps in src/rehearsal/replan.ts), rehearses
destroy (staging stacks destroy cleanly; production's database and buckets refuse), then stops the
server. App Runner is not emulated: aws_apprunner_* and what depends on them are skipped and listed.
Scenarios run in parallel. Progress goes to stderr, the summary to stdout.

An emulator accepts some things AWS rejects: a pass is a floor, not a guarantee.

Scenarios: ${scenarios.map((s) => s.name).join(', ')} (default: all)`,
  options,
  after: `Environment:
  MLFLOW_INFRA_PYTHON                     python with moto 5.2.1 (default python3)
  MLFLOW_INFRA_REHEARSAL_SHOW_EMULATOR_LOG=1   print the emulator's log of a failed scenario
  MLFLOW_INFRA_REHEARSAL_FIXTURES=<dir>   cutover: write its plan JSON (import plan, drift, plan after drift)
                                          there, e.g. __tests__/plan-review/fixtures (docs/rehearsal-cutover.md)

Exit codes:
  0  every scenario passed
  1  a scenario failed, or terraform / the provider mirror / moto is missing
 64  usage error`,
});

export const rehearseCommand: Command = {
  path: ['rehearse'],
  summary: 'apply every stack to an AWS API emulator (moto), re-plan and destroy',
  options,
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, options, true);
    if (values.list) {
      for (const s of scenarios) io.stdout(`${s.name}\t${s.description}\n`);
      return 0;
    }
    let parallel = scenarios.length;
    if (values.parallel !== undefined) {
      parallel = Number(values.parallel);
      if (!/^[1-9][0-9]*$/.test(values.parallel)) throw new UsageError(`--parallel ${JSON.stringify(values.parallel)}: expected a whole number >= 1`);
    }
    const selected = selectScenarios(scenarios, positionals);
    const gapProblems = gapListProblems(EMULATOR_GAPS);
    if (gapProblems.length > 0) {
      io.stderr(`the emulator-gap allow-list (src/rehearsal/replan.ts) is malformed:\n  ${gapProblems.join('\n  ')}\n`);
      return 1;
    }
    const unavailable = terraformUnavailable(io.env);
    if (unavailable) throw new TerraformUnavailableError(`${unavailable.message}\n!!! NOTHING WAS REHEARSED.`);
    const started = Date.now();
    const results = await runScenarios(selected, {
      root: io.cwd,
      outdir: path.resolve(io.cwd, values.outdir!),
      env: io.env,
      startMoto,
      progress: (line) => io.stderr(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    }, parallel);
    const wall = Math.round((Date.now() - started) / 1000);
    if (values.json) io.stdout(JSON.stringify({ wallSeconds: wall, results }, null, 2) + '\n');
    else io.stdout(renderSummary(results, wall));
    return exitCodeFor(results);
  },
};
