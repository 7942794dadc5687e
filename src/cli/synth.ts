/**
 * The `npm run synth` program (main.ts): resolves the shipped environments with their overrides,
 * synthesizes them (src/synth.ts), prints the warning about example values and the summary, and
 * reports an error the way the CLI does (src/cli/report-error.ts).
 */
import { environments } from '../config/environments';
import { resolveEnvironments } from '../config/overrides';
import { exampleValuesWarning, findExampleValues } from '../config/placeholders';
import { reportError } from './report-error';
import { StackSummary, summarizeSynth, synthesize } from '../synth';

/**
 * The success report of `npm run synth` (stdout): stacks written with their counts, how many
 * configuration values still hold an example (each is listed in the warning on stderr), next commands.
 */
export function renderSynthSummary(outdir: string, stacks: readonly StackSummary[], exampleValues: number): string {
  const width = Math.max(...stacks.map((s) => s.stack.length));
  const lines = [`synth: wrote ${stacks.length} stack(s) to ${outdir}/`];
  for (const s of stacks) {
    const imports = s.imports > 0 ? `, ${s.imports} import(s)` : '';
    lines.push(`  ${s.stack.padEnd(width)}  ${s.resources} resources, ${s.dataSources} data sources${imports}, ${s.outputs} outputs; backend ${s.backend}  (${s.file})`);
  }
  if (exampleValues > 0) {
    lines.push('', `Values still to supply: ${exampleValues} (listed in the warning above; \`supply:\` in src/config/environments/).`);
  }
  lines.push(
    '',
    'Next:',
    '  npm run validate                                 terraform init and plan (which validates) of each stack, offline',
    '  npm run check                                    security policy checks',
    '  node bin/mlflow-infra.js plan <stack>            plan against the stack\'s real backend and review it (needs its credentials)',
    '  node bin/mlflow-infra.js apply <stack> --plan cdktf.out/stacks/<stack>/tfplan',
    '                                                   apply exactly the reviewed plan',
    '  docs/first-deploy.md                             the first deploy of staging, step by step',
    '',
  );
  return lines.join('\n');
}

export interface SynthIo {
  readonly stdout?: { write(text: string): unknown };
}

/** Runs the synth for the shipped environments; returns the process exit code. */
export function runSynth(env: NodeJS.ProcessEnv, stderr: { write(text: string): unknown }, io: SynthIo = {}): number {
  const { configs, problems } = resolveEnvironments(environments, env);
  const outdir = env.CDKTF_OUTDIR || 'cdktf.out';
  try {
    synthesize(configs, outdir, problems);
    const examples = configs.flatMap(findExampleValues);
    const warning = exampleValuesWarning(examples);
    if (warning) stderr.write(`synth: ${warning}\n`);
    io.stdout?.write(renderSynthSummary(outdir, summarizeSynth(outdir), examples.length));
    return 0;
  } catch (err) {
    // Synthesis writes into a temporary directory and replaces the output only when it succeeded.
    const code = reportError((text) => stderr.write(text), 'synth', err);
    stderr.write(`synth: nothing was written; ${outdir} is unchanged.\n`);
    return code;
  }
}
