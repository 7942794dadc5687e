/**
 * Running scenarios in parallel (each on its own emulator), the per-scenario summary and the exit code.
 */
import { Scenario, ScenarioContext, ScenarioOutcome } from './scenario';
import { EXIT, UsageError } from '../errors';

export interface ScenarioResult extends ScenarioOutcome {
  readonly name: string;
  readonly seconds: number;
}

/**
 * The scenarios named on the command line, in the registry's order; every name must exist.
 * No names: all of them. An unknown name is a {@link UsageError}.
 */
export function selectScenarios(registry: readonly Scenario[], names: readonly string[]): Scenario[] {
  if (names.length === 0) return [...registry];
  const known = registry.map((s) => s.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(`unknown scenario${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  return registry.filter((s) => names.includes(s.name));
}

/**
 * Runs the scenarios with at most `parallel` at a time. Each one's progress lines are prefixed
 * with its name; an exception is a failed scenario, never an aborted run.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  ctx: Omit<ScenarioContext, 'progress'> & { readonly progress: (line: string) => void },
  parallel = scenarios.length,
  now: () => number = Date.now,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array(scenarios.length);
  let next = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const i = next++;
      const s = scenarios[i];
      const started = now();
      const progress = (line: string) => ctx.progress(`[${s.name}] ${line}`);
      progress('started');
      let outcome: ScenarioOutcome;
      try {
        outcome = await s.run({ ...ctx, progress });
      } catch (err) {
        outcome = { status: 'failed', applied: 0, skipped: [], failures: [(err as Error).message], checks: [], explained: [] };
      }
      const seconds = Math.round((now() - started) / 1000);
      results[i] = { name: s.name, seconds, ...outcome };
      progress(`${outcome.status} in ${formatSeconds(seconds)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, scenarios.length)) }, worker));
  return results;
}

export function formatSeconds(seconds: number): string {
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/** The human summary: one line per scenario, then its checks, accepted gaps, skipped resources and failures. */
export function renderSummary(results: readonly ScenarioResult[], wallSeconds?: number): string {
  const lines: string[] = ['', 'Rehearsal against the AWS API emulator (moto): a floor, not a guarantee', ''];
  const width = Math.max(...results.map((r) => r.name.length), 8);
  for (const r of results) {
    const skipped = r.skipped.length > 0 ? `, ${r.skipped.length} skipped` : '';
    lines.push(`${r.status === 'passed' ? 'ok  ' : 'FAIL'} ${r.name.padEnd(width)}  ${r.applied} applied${skipped}, ${formatSeconds(r.seconds)}`);
    for (const c of r.checks) lines.push(`       ${c}`);
    for (const e of r.explained) lines.push(`       accepted emulator gap: ${e}`);
    if (r.skipped.length > 0) {
      const roots = r.skipped.filter((s) => !s.because.startsWith('depends on'));
      const reasons = [...new Set(roots.map((s) => s.because))];
      lines.push(`       skipped (${reasons.join('; ')}): ${r.skipped.map((s) => s.address).join(', ')}`);
    }
    for (const f of r.failures) lines.push(`       FAILED: ${f.split('\n').join('\n         ')}`);
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  lines.push('');
  lines.push(`${results.length - failed} passed, ${failed} failed${wallSeconds !== undefined ? ` (wall time ${formatSeconds(wallSeconds)})` : ''}`);
  return lines.join('\n') + '\n';
}

export function exitCodeFor(results: readonly ScenarioResult[]): number {
  return results.length > 0 && results.every((r) => r.status === 'passed') ? EXIT.ok : EXIT.failed;
}
