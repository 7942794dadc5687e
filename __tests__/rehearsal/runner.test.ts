import { exitCodeFor, formatSeconds, renderSummary, runScenarios, ScenarioResult, selectScenarios } from '../../src/rehearsal/runner';
import { OutcomeBuilder, preconditionsFor, importedBuckets, Scenario, ScenarioContext } from '../../src/rehearsal/scenario';
import { scenarios } from '../../src/rehearsal/scenarios';

function fake(name: string, run: (ctx: ScenarioContext) => Promise<ReturnType<OutcomeBuilder['done']>>): Scenario {
  return { name, description: name, run };
}
const ctx = (lines: string[]) => ({ root: '/', outdir: '/cdktf.out', env: {}, startMoto: async () => { throw new Error('no emulator in unit tests'); }, progress: (l: string) => lines.push(l) });

test('the registry rehearses every synthesized stack and the cut-over, each name once', () => {
  expect(scenarios.map((s) => s.name)).toEqual(['mlflow-staging', 'mlflow-apprunner-staging', 'mlflow-production', 'cutover']);
});

test('selectScenarios: none named means all; unknown names are all reported with the known ones', () => {
  const reg = [fake('a', async () => new OutcomeBuilder().done()), fake('b', async () => new OutcomeBuilder().done())];
  expect(selectScenarios(reg, []).map((s) => s.name)).toEqual(['a', 'b']);
  expect(selectScenarios(reg, ['b']).map((s) => s.name)).toEqual(['b']);
  expect(() => selectScenarios(reg, ['x', 'b', 'y'])).toThrow('unknown scenarios x, y; known: a, b');
});

test('runScenarios runs in parallel, prefixes progress, keeps registry order and turns an exception into a failure', async () => {
  const lines: string[] = [];
  let running = 0;
  let peak = 0;
  const slow = (name: string, ms: number) =>
    fake(name, async (c) => {
      running++;
      peak = Math.max(peak, running);
      c.progress('working');
      await new Promise((r) => setTimeout(r, ms));
      running--;
      const o = new OutcomeBuilder();
      o.applied = 3;
      o.check('re-plan: no changes');
      return o.done();
    });
  const boom = fake('boom', async () => {
    throw new Error('kaput');
  });
  const results = await runScenarios([slow('one', 30), slow('two', 10), boom], ctx(lines));
  expect(peak).toBe(2);
  expect(results.map((r) => [r.name, r.status])).toEqual([['one', 'passed'], ['two', 'passed'], ['boom', 'failed']]);
  expect(results[2].failures).toEqual(['kaput']);
  expect(lines).toContain('[one] working');
  expect(lines.filter((l) => l.startsWith('[boom]'))).toEqual(['[boom] started', '[boom] failed in 0s']);
});

test('--parallel 1 runs one at a time', async () => {
  let running = 0;
  let peak = 0;
  const s = (n: string) => fake(n, async () => { running++; peak = Math.max(peak, running); await new Promise((r) => setTimeout(r, 5)); running--; return new OutcomeBuilder().done(); });
  await runScenarios([s('a'), s('b'), s('c')], ctx([]), 1);
  expect(peak).toBe(1);
});

const passed: ScenarioResult = { name: 'mlflow-staging', status: 'passed', applied: 104, skipped: [], failures: [], checks: ['apply: 104 resource actions in 300s', 're-plan: no changes'], explained: ['aws_ecs_service.svc update: health_check_grace_period_seconds'], seconds: 412 };
const failed: ScenarioResult = {
  name: 'mlflow-apprunner-staging', status: 'failed', applied: 60, seconds: 59, checks: [], explained: [],
  skipped: [{ address: 'aws_apprunner_service.s', because: 'App Runner is not emulated by moto 5.2.1' }, { address: 'aws_route53_record.r', because: 'depends on aws_apprunner_service.s' }],
  failures: ['apply failed:\n  boom'],
};

test('the summary: a line per scenario (applied, skipped, time), checks, accepted gaps, what was skipped and why, failures', () => {
  const text = renderSummary([passed, failed], 480);
  expect(text).toContain('a floor, not a guarantee');
  expect(text).toMatch(/^ok {3}mlflow-staging {12}104 applied, 6m52s$/m);
  expect(text).toMatch(/^FAIL mlflow-apprunner-staging {2}60 applied, 2 skipped, 59s$/m);
  expect(text).toContain('accepted emulator gap: aws_ecs_service.svc update: health_check_grace_period_seconds');
  expect(text).toContain('skipped (App Runner is not emulated by moto 5.2.1): aws_apprunner_service.s, aws_route53_record.r');
  expect(text).toContain('FAILED: apply failed:\n           boom');
  expect(text).toMatch(/1 passed, 1 failed \(wall time 8m00s\)\n$/);
});

test('exit code: 0 only when every scenario passed (and there was one)', () => {
  expect(exitCodeFor([passed])).toBe(0);
  expect(exitCodeFor([passed, failed])).toBe(1);
  expect(exitCodeFor([])).toBe(1);
  expect(formatSeconds(59)).toBe('59s');
  expect(formatSeconds(3600)).toBe('60m00s');
});

test('preconditions come from the environment config: the hosted zone and the client security groups', () => {
  expect(preconditionsFor('mlflow-production')).toEqual({ hostedZones: { Z0123456789ABCDEFGHIJ: 'example.com' }, securityGroups: ['sg-0123456789abcdef0'], transitGateways: ['tgw-0123456789abcdef0'] });
  expect(preconditionsFor('nope')).toEqual({ hostedZones: {}, securityGroups: [], transitGateways: [] });
  expect(importedBuckets({ import: [{ to: 'aws_s3_bucket.a', id: 'b1' }, { to: 'aws_s3_bucket_server_side_encryption_configuration.a', id: 'b1' }] })).toEqual(['b1']);
});
