/**
 * The users' CI workflow (.github/workflows/mlflow-infra.yml), read with a strict YAML-subset reader:
 * what it calls exists (npm scripts, mlflow-infra commands and options), it covers install, lint,
 * test, synth freshness, a plan per synthesized stack, the PR comment and the guard, and its shell
 * steps are RUN with bash against test doubles (npx, npm) to check what they actually do.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { commands } from '../../src/cli/commands';
import { LOOP_OPTIONS } from '../../src/cli/commands/plan';
import { REVIEW_PLAN_OPTIONS } from '../../src/cli/commands/review-plan';
import { backendOf, runPlanDownload, vcsWorkspaceMessage } from '../../src/plan-review/loop';
import { captureIo } from './helpers';
import { parseYamlSubset, YamlSubsetError, YamlValue } from './yaml-subset';

const ROOT = path.resolve(__dirname, '../..');
const WORKFLOW_FILE = path.join(ROOT, '.github/workflows/mlflow-infra.yml');
const WORKFLOW_TEXT = fs.readFileSync(WORKFLOW_FILE, 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, YamlValue>;
}
interface Job {
  needs?: string;
  if?: string;
  name?: string;
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, YamlValue> };
  steps: Step[];
}
const workflow = parseYamlSubset(WORKFLOW_TEXT) as unknown as { on: Record<string, YamlValue>; jobs: Record<string, Job> };
const jobs = workflow.jobs;
const allSteps = Object.values(jobs).flatMap((j) => j.steps);
const runScripts = allSteps.filter((s) => typeof s.run === 'string').map((s) => s.run!);
const packageScripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Words of one shell command line: quotes removed; stops at redirections, pipes and separators. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const word = m[1] ?? m[2] ?? m[3];
    if (m[3] !== undefined && /^(>|>>|2>|\||&&|\|\||;)/.test(m[3])) break;
    words.push(word);
  }
  return words;
}

/** Every `mlflow-infra ...` the workflow runs: `node bin/mlflow-infra.js <args>` and npm scripts that run the CLI. */
function mlflowInfraInvocations(): { line: string; argv: string[] }[] {
  const out: { line: string; argv: string[] }[] = [];
  for (const script of runScripts) {
    for (const line of script.split('\n')) {
      const words = shellWords(line.trim());
      if (words[0] === 'node' && words[1] === 'bin/mlflow-infra.js') out.push({ line, argv: words.slice(2) });
      const run = /^npm run (?:-s )?([\w:-]+)/.exec(line.trim());
      const cli = run && /^node bin\/mlflow-infra\.js (.*)$/.exec(packageScripts[run[1]] ?? '');
      if (run && cli) {
        const dashdash = words.indexOf('--');
        out.push({ line, argv: [...cli[1].split(' '), ...(dashdash === -1 ? [] : words.slice(dashdash + 1))] });
      }
    }
  }
  return out;
}

/** Runs a step's script the way GitHub Actions does (`bash --noprofile --norc -eo pipefail`). */
function runStep(script: string, cwd: string, env: Record<string, string>) {
  const file = path.join(cwd, '..', `step-${process.hrtime.bigint()}.sh`);
  fs.writeFileSync(file, script);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function stepNamed(job: Job, pattern: RegExp): Step {
  const step = job.steps.find((s) => pattern.test(s.name ?? s.run ?? ''));
  if (!step) throw new Error(`no step matching ${pattern}`);
  return step;
}

function tempDir(prefix: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const work = path.join(root, 'work');
  const bin = path.join(root, 'bin');
  fs.mkdirSync(work);
  fs.mkdirSync(bin);
  return { root, work, bin, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/**
 * A small evaluator for the GitHub Actions expressions the workflow uses (`${{ ... }}` and `if:`):
 * literals, context paths (matrix.x, steps.id.outcome, secrets.X, github.x), ==, != (strings
 * compared case-insensitively, as GitHub does), !, &&, || (returning an operand, as GitHub does),
 * parentheses, and the status functions always(), success(), failure(), cancelled(). Anything else
 * throws, so a test never checks an expression it misread.
 */
interface ExpressionContext {
  readonly [context: string]: unknown;
}
interface JobState {
  /** An earlier step failed. */
  readonly failed?: boolean;
  readonly cancelled?: boolean;
}
type ExprValue = string | number | boolean | null | object;

function evaluateExpression(source: string, ctx: ExpressionContext, state: JobState = {}): ExprValue {
  const tokens = [...source.matchAll(/\s*(\|\||&&|==|!=|!|\(|\)|'(?:[^']|'')*'|\d+|[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*/gy)].map((m) => m[1]);
  if (tokens.join('').replace(/\s/g, '') !== source.replace(/\s/g, '')) throw new Error(`cannot read expression: ${source}`);
  let pos = 0;
  const truthy = (v: ExprValue) => v !== null && v !== false && v !== 0 && v !== '';
  const num = (v: ExprValue) => (v === null ? 0 : typeof v === 'boolean' ? Number(v) : typeof v === 'string' ? (v.trim() === '' ? 0 : Number(v)) : typeof v === 'number' ? v : NaN);
  const equal = (a: ExprValue, b: ExprValue) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : typeof a === typeof b ? a === b : num(a) === num(b));
  const functions: Record<string, () => boolean> = {
    always: () => true,
    success: () => !state.failed && !state.cancelled,
    failure: () => Boolean(state.failed),
    cancelled: () => Boolean(state.cancelled),
  };
  const expect = (t: string) => {
    if (tokens[pos++] !== t) throw new Error(`expected '${t}' in ${source}`);
  };
  const primary = (): ExprValue => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error(`unexpected end of ${source}`);
    if (t === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^\d+$/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (tokens[pos] === '(') {
      if (!(t in functions)) throw new Error(`unsupported function ${t} in ${source}`);
      expect('(');
      expect(')');
      return functions[t]();
    }
    let v: unknown = ctx;
    for (const key of t.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    return (v ?? null) as ExprValue;
  };
  const not = (): ExprValue => {
    if (tokens[pos] === '!') {
      pos++;
      return !truthy(not());
    }
    const left = primary();
    if (tokens[pos] === '==' || tokens[pos] === '!=') {
      const op = tokens[pos++];
      const right = primary();
      return op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): ExprValue => {
    let v = not();
    while (tokens[pos] === '&&') {
      pos++;
      const right = not();
      v = truthy(v) ? right : v;
    }
    return v;
  };
  const or = (): ExprValue => {
    let v = and();
    while (tokens[pos] === '||') {
      pos++;
      const right = and();
      v = truthy(v) ? v : right;
    }
    return v;
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`unexpected '${tokens[pos]}' in ${source}`);
  return value;
}

/** A value with its `${{ ... }}` parts evaluated, as GitHub does for env, with and job keys. */
function resolveTemplate(template: YamlValue | undefined, ctx: ExpressionContext): string {
  return String(template ?? '').replace(/\$\{\{(.*?)\}\}/g, (_m, expr: string) => {
    const v = evaluateExpression(expr, ctx);
    return v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

/** Whether a step runs: its `if` (with the implicit success() GitHub adds when no status function is used). */
function stepRuns(step: Step, ctx: ExpressionContext, state: JobState): boolean {
  const source = (step.if ?? 'success()').replace(/^\$\{\{(.*)\}\}$/s, '$1');
  const withStatus = /\b(always|success|failure|cancelled)\(\)/.test(source) ? source : `success() && (${source})`;
  const v = evaluateExpression(withStatus, ctx, state);
  return v !== null && v !== false && v !== 0 && v !== '';
}

/**
 * Walks a job's steps the way the runner decides which run: each step's outcome is `outcomes[id]`
 * (default success) when it runs, `skipped` otherwise. Returns the outcome of every step, by id or name.
 */
function simulateJob(job: Job, matrix: Record<string, YamlValue>, outcomes: Record<string, string> = {}, cancelled = false, checkResult = 'success') {
  const steps: Record<string, { outcome: string }> = {};
  const result: [string, string][] = [];
  let failed = false;
  for (const step of job.steps) {
    const key = step.id ?? step.name ?? step.uses ?? step.run ?? '?';
    const runs = stepRuns(step, { matrix, steps, secrets: {}, github: {}, needs: { check: { result: checkResult } } }, { failed, cancelled });
    const outcome = runs ? (outcomes[key] ?? 'success') : 'skipped';
    if (outcome === 'failure') failed = true;
    if (step.id) steps[step.id] = { outcome };
    result.push([key, outcome]);
  }
  return result;
}

describe('the YAML-subset reader', () => {
  test('reads mappings, sequences of mappings, literal blocks, flow sequences, quotes, comments and scalars', () => {
    const doc = parseYamlSubset(
      [
        '# comment',
        'name: ci # trailing comment',
        'on:',
        '  pull_request:',
        '  push:',
        '    branches: [main, "dev"]',
        'jobs:',
        '  a:',
        '    steps:',
        '      - uses: x@v1',
        '        with:',
        '          n: 20',
        '          flag: false',
        '      - run: |',
        '          echo "# not a comment"',
        '',
        '            indented',
        "      - name: 'it''s'",
        '        run: echo ${{ matrix.x }}',
      ].join('\n'),
    );
    expect(doc).toEqual({
      name: 'ci',
      on: { pull_request: null, push: { branches: ['main', 'dev'] } },
      jobs: { a: { steps: [{ uses: 'x@v1', with: { n: 20, flag: false } }, { run: 'echo "# not a comment"\n\n  indented\n' }, { name: "it's", run: 'echo ${{ matrix.x }}' }] } },
    });
  });

  test.each([
    ['a:\n\tb: 1', 'line 2: tabs are not allowed in indentation'],
    ['a: &x 1', "line 1: unsupported YAML feature '&': a: &x 1"],
    ['a: *x', "line 1: unsupported YAML feature '*': a: *x"],
    ['a: >\n  folded', 'line 1: only plain literal block scalars (|) are supported: a: >'],
    ['a: {b: 1}', "line 1: unsupported YAML feature '{': a: {b: 1}"],
    ['a: 1\na: 2', "line 2: duplicate key 'a': a: 2"],
    ['a:\n  b: 1\n   c: 2', 'line 3: unexpected indentation: c: 2'],
    ['a: b: c', 'line 1: ambiguous plain scalar (contains ": "): a: b: c'],
    ['a: 1\n---\nb: 2', 'several documents are not supported'],
    ['- a\nb: 1', 'line 2: unexpected content: b: 1'],
  ])('rejects %j', (source, message) => {
    expect(() => parseYamlSubset(source)).toThrow(new YamlSubsetError(message));
  });
});

describe('the expression evaluator the workflow tests use', () => {
  test('follows GitHub: operands returned by && and ||, case-insensitive string ==, missing values are null (empty in templates)', () => {
    const ctx = { matrix: { backend: 'cloud', stack: 's' }, secrets: { T: 'tok' } };
    expect(evaluateExpression("matrix.backend == 'cloud' && secrets.T || ''", ctx)).toBe('tok');
    expect(evaluateExpression("matrix.backend == 's3' && secrets.T || ''", ctx)).toBe('');
    expect(evaluateExpression("matrix.backend == 'CLOUD'", ctx)).toBe(true);
    expect(evaluateExpression('matrix.missing', ctx)).toBeNull();
    expect(evaluateExpression("!(matrix.stack != 's')", ctx)).toBe(true);
    expect(resolveTemplate('a-${{ matrix.missing }}-${{ matrix.stack }}', ctx)).toBe('a--s');
    expect(evaluateExpression('!cancelled()', ctx, { cancelled: true })).toBe(false);
    expect(stepRuns({ if: "matrix.backend == 'cloud'" }, ctx, { failed: true })).toBe(false); // the implicit success()
    expect(stepRuns({ if: '${{ !cancelled() }}' }, ctx, { failed: true })).toBe(true);
  });

  test('refuses what it cannot read, so no test checks a misread expression', () => {
    expect(() => evaluateExpression('toJSON(steps)', {})).toThrow('unsupported function toJSON');
    expect(() => evaluateExpression("contains(matrix.stack, 'x')", {})).toThrow('cannot read expression');
    expect(() => evaluateExpression('matrix.a > 1', {})).toThrow('cannot read expression: matrix.a > 1');
  });
});

describe('.github/workflows/mlflow-infra.yml', () => {
  test('runs on pull requests (and pushes to main); the shell steps take expressions through env, never inline', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    for (const script of runScripts) expect(script).not.toContain('${{');
  });

  test('every `npm run <script>` it calls exists in package.json', () => {
    const called = runScripts.flatMap((s) => [...s.matchAll(/\bnpm (?:run (?:-s |--silent )?([\w:-]+)|(test)\b)/g)].map((m) => m[1] ?? m[2]));
    expect(called.length).toBeGreaterThanOrEqual(6);
    for (const script of called) expect({ script, exists: script in packageScripts }).toEqual({ script, exists: true });
  });

  test('every `mlflow-infra <command> --<option>` it calls is a registered command and one of its options', () => {
    const invocations = mlflowInfraInvocations();
    expect(invocations.map((i) => i.argv[0]).sort()).toEqual(['check', 'plan', 'review-plan', 'validate']); // review-plan: in the VCS-driven comment's instructions
    // The option objects the commands parse with (strict: an unknown option is a usage error).
    const optionsOf: Record<string, readonly string[]> = {
      plan: Object.keys(LOOP_OPTIONS),
      drift: Object.keys(LOOP_OPTIONS),
      'review-plan': Object.keys(REVIEW_PLAN_OPTIONS),
    };
    for (const { line, argv } of invocations) {
      const command = commands.filter((c) => c.path.every((w, i) => argv[i] === w)).sort((a, b) => b.path.length - a.path.length)[0];
      expect({ line, command: command?.path.join(' ') }).toEqual({ line, command: argv.slice(0, command?.path.length ?? 1).join(' ') });
      for (const option of argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0])) {
        const known = optionsOf[command.path.join(' ')];
        // Commands without an exported options object: the option must be in their usage's option list.
        const ok = known ? known.includes(option) : new RegExp(`^\\s+--${option}\\b`, 'm').test(command.usage);
        expect({ line, option, ok }).toEqual({ line, option, ok: true });
      }
    }
  });

  test('the check job installs, lints, type-checks, tests and validates', () => {
    const runs = jobs.check.steps.map((s) => s.run?.trim());
    const order = ['npm ci', 'npm run lint', 'npm run typecheck', 'npm test', 'npm run validate'].map((r) => runs.indexOf(r));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  describe('synth freshness step (run with a fake npm in a scratch git repository)', () => {
    const step = stepNamed(jobs.check, /freshness/i);
    const scenario = (synth: string) => {
      const d = tempDir('mlflow-infra-fresh-');
      try {
        const git = (...args: string[]) => spawnSync('git', args, { cwd: d.work, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
        fs.mkdirSync(path.join(d.work, 'cdktf.out/stacks/s'), { recursive: true });
        fs.writeFileSync(path.join(d.work, 'cdktf.out/stacks/s/cdk.tf.json'), '{"a":1}\n');
        git('init', '-q');
        git('add', '.');
        git('commit', '-qm', 'init');
        fs.writeFileSync(path.join(d.bin, 'npm'), `#!/bin/sh\ncd "${d.work}"\n${synth}\n`, { mode: 0o755 });
        return runStep(step.run!, d.work, { PATH: `${d.bin}:${process.env.PATH}` });
      } finally {
        d.cleanup();
      }
    };
    test('passes when synth reproduces the committed output', () => {
      expect(scenario('true').code).toBe(0);
    });
    test.each([
      ['a changed file', `echo '{"a":2}' > cdktf.out/stacks/s/cdk.tf.json`],
      ['a new stack', 'mkdir -p cdktf.out/stacks/t && echo {} > cdktf.out/stacks/t/cdk.tf.json'],
      ['a deleted stack', 'rm -r cdktf.out/stacks/s'],
    ])('fails on %s', (_what, synth) => {
      const r = scenario(synth);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("::error::cdktf.out is stale: run 'npm run synth' and commit the result");
    });
  });
  describe('the plan job', () => {
    const plan = jobs.plan;
    const entries = (plan.strategy!.matrix!.include as Record<string, YamlValue>[]) ?? [];
    const entry = (stack: string) => entries.find((e) => e.stack === stack)!;
    const stacksDir = path.join(ROOT, 'cdktf.out/stacks');
    /** A Terraform Cloud stack whose workspace is VCS-driven: the entry a user writes for one. */
    const vcsEntry = { stack: 'mlflow-production', backend: 'cloud', workflow: 'vcs', environment: '' };

    test('plans every stack of cdktf.out/manifest.json, on same-repository pull requests, after the checks', () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.out/manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
      expect(plan.needs).toBe('check');
      expect(plan.if).toMatch(/github\.event_name == 'pull_request'/);
      expect(entries.map((e) => e.stack).sort()).toEqual(Object.keys(manifest.stacks).sort());
      expect(plan.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
      expect(plan.steps.map((s) => s.run?.trim()).includes('npm ci')).toBe(true);
    });

    test("each matrix entry declares its stack's backend (checked against cdk.tf.json), a workflow, and an environment only for a CLI-driven Terraform Cloud stack", () => {
      for (const e of entries) {
        const backend = backendOf(JSON.parse(fs.readFileSync(path.join(stacksDir, String(e.stack), 'cdk.tf.json'), 'utf8')));
        expect({ stack: e.stack, backend: e.backend, keys: Object.keys(e).sort() }).toEqual({ stack: e.stack, backend, keys: ['backend', 'environment', 'stack', 'workflow'] });
        expect(['cli', 'vcs']).toContain(e.workflow);
        expect({ stack: e.stack, hasEnvironment: e.environment !== '' }).toEqual({ stack: e.stack, hasEnvironment: e.backend === 'cloud' && e.workflow === 'cli' });
      }
      expect(entry('mlflow-production')).toMatchObject({ backend: 'cloud', environment: 'mlflow-production-plan' });
    });

    test('the job runs in the entry\'s GitHub environment (where TF_API_TOKEN is an environment secret); S3 stacks get an empty name, i.e. none', () => {
      const needs = { check: { result: 'success' } };
      expect(resolveTemplate(plan.environment, { matrix: entry('mlflow-production'), needs })).toBe('mlflow-production-plan');
      expect(resolveTemplate(plan.environment, { matrix: entry('mlflow-staging'), needs })).toBe('');
      expect(resolveTemplate(plan.environment, { matrix: vcsEntry, needs })).toBe('');
    });

    test('the workspace-admin token reaches only Terraform Cloud stacks, and only the plan step', () => {
      const review = stepNamed(plan, /^Plan and review$/);
      const secrets = { TF_API_TOKEN: 'admin-token' };
      expect(resolveTemplate(review.env!.TF_TOKEN_app_terraform_io, { matrix: entry('mlflow-production'), secrets })).toBe('admin-token');
      for (const stack of ['mlflow-staging', 'mlflow-apprunner-staging']) expect(resolveTemplate(review.env!.TF_TOKEN_app_terraform_io, { matrix: entry(stack), secrets })).toBe('');
      expect(WORKFLOW_TEXT.match(/secrets\.TF_API_TOKEN/g)).toHaveLength(1);
      // Not exported workflow- or job-wide, where every step (and every stack) would see it.
      const envs = [(workflow as { env?: unknown }).env, ...Object.values(jobs).map((job) => (job as { env?: unknown }).env)];
      for (const env of envs) expect(JSON.stringify(env ?? {})).not.toContain('TF_TOKEN');
    });

    test.each([
      ['an S3 stack', 'mlflow-staging'],
      ['a CLI-driven Terraform Cloud stack', 'mlflow-production'],
    ])('which steps run for %s: AWS credentials only for S3, the saved plan, the comment, the guard', (_kind, stack) => {
      const ran = simulateJob(plan, entry(stack));
      expect(Object.fromEntries(ran.filter(([k]) => ['aws', 'review', 'vcs'].includes(k) || /comment|guard/i.test(k)).map(([k, o]) => [k.replace(/^Post.*/, 'comment').replace(/^Enforce.*/, 'guard'), o]))).toEqual({
        aws: entry(stack).backend === 's3' ? 'success' : 'skipped',
        review: 'success',
        vcs: 'skipped',
        comment: 'success',
        guard: 'success',
      });
    });

    test('a VCS-driven Terraform Cloud stack: the saved-plan step (and the guard) never run; the comment explains', () => {
      const ran = Object.fromEntries(simulateJob(plan, vcsEntry));
      expect(ran).toMatchObject({ aws: 'skipped', review: 'skipped', vcs: 'success' });
      expect(ran['Post the review as a PR comment (one per stack, updated in place)']).toBe('success');
      expect(ran['Enforce the guard']).toBe('skipped');
    });

    test('when an earlier step fails the comment step still runs (and the guard does not); when the run is cancelled it does not', () => {
      const failed = Object.fromEntries(simulateJob(plan, entry('mlflow-staging'), { install: 'failure' }));
      expect(failed).toMatchObject({ install: 'failure', aws: 'skipped', review: 'skipped', vcs: 'skipped', 'Enforce the guard': 'skipped' });
      expect(failed['Post the review as a PR comment (one per stack, updated in place)']).toBe('success');
      const cancelled = Object.fromEntries(simulateJob(plan, entry('mlflow-staging'), {}, true));
      expect(cancelled['Post the review as a PR comment (one per stack, updated in place)']).toBe('skipped');
    });

    test('when the check job failed the plan job still runs (so no older review stands), but only its comment step: no environment, nothing checked out, planned or credentialed', () => {
      const github = { event_name: 'pull_request', repository: 'acme/infra', event: { pull_request: { head: { repo: { full_name: 'acme/infra' } } } } };
      // Job level: GitHub adds success() (all needs succeeded) unless the `if` uses a status function.
      const jobRuns = (checkFailed: boolean, cancelled = false, repo = 'acme/infra') =>
        stepRuns({ if: plan.if }, { github: { ...github, event: { pull_request: { head: { repo: { full_name: repo } } } } } }, { failed: checkFailed, cancelled });
      expect(jobRuns(true)).toBe(true);
      expect(jobRuns(false)).toBe(true);
      expect(jobRuns(true, true)).toBe(false); // cancelled (e.g. by a newer push)
      expect(jobRuns(true, false, 'fork/infra')).toBe(false);
      for (const stack of ['mlflow-production', 'mlflow-staging']) {
        expect(resolveTemplate(plan.environment, { matrix: entry(stack), needs: { check: { result: 'failure' } } })).toBe('');
        const ran = simulateJob(plan, entry(stack), {}, false, 'failure');
        expect(ran.filter(([, outcome]) => outcome !== 'skipped').map(([k]) => k)).toEqual(['Post the review as a PR comment (one per stack, updated in place)']);
      }
      expect(resolveTemplate(plan.environment, { matrix: entry('mlflow-production'), needs: { check: { result: 'success' } } })).toBe('mlflow-production-plan');
    });
  });

  describe('plan step (run with a fake node that records its arguments)', () => {
    const step = stepNamed(jobs.plan, /^Plan and review$/);
    const entry = (jobs.plan.strategy!.matrix!.include as Record<string, YamlValue>[]).find((e) => e.stack === 'mlflow-staging')!;
    const scenario = (options: { exitCode: number; allowFile?: string; stdout?: string }) => {
      const d = tempDir('mlflow-infra-planstep-');
      try {
        const argsFile = path.join(d.root, 'node-args');
        fs.writeFileSync(
          path.join(d.bin, 'node'),
          `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${argsFile}"\nprintf '%b' '${options.stdout ?? '### review\\n'}'\nexit ${options.exitCode}\n`,
          { mode: 0o755 },
        );
        const env: Record<string, string> = {
          PATH: `${d.bin}:${process.env.PATH}`,
          GITHUB_OUTPUT: path.join(d.root, 'output'),
          GITHUB_STEP_SUMMARY: path.join(d.root, 'summary'),
        };
        // The step's env, its expressions evaluated for one stack.
        for (const [k, v] of Object.entries(step.env ?? {})) env[k] = resolveTemplate(v, { matrix: entry, secrets: { TF_API_TOKEN: 'token' } });
        if (options.allowFile !== undefined) {
          fs.mkdirSync(path.join(d.work, '.github/mlflow-infra-allow-destroy'), { recursive: true });
          fs.writeFileSync(path.join(d.work, '.github/mlflow-infra-allow-destroy/mlflow-staging.txt'), options.allowFile);
        }
        const r = runStep(step.run!, d.work, env);
        return {
          ...r,
          env,
          argv: fs.readFileSync(argsFile, 'utf8').trimEnd().split('\n'),
          output: fs.readFileSync(env.GITHUB_OUTPUT, 'utf8'),
          review: fs.readFileSync(path.join(d.work, 'review.md'), 'utf8'),
          summary: fs.readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'),
        };
      } finally {
        d.cleanup();
      }
    };

    test('runs mlflow-infra plan for the stack (no state lock, markdown, no synth), without --allow-destroy-file when the stack has no allow-list', () => {
      const r = scenario({ exitCode: 2 });
      expect(r.argv).toEqual(['bin/mlflow-infra.js', 'plan', 'mlflow-staging', '--no-synth', '--no-lock', '--format', 'markdown', '--title', 'mlflow-staging']);
      expect(r.review).toBe('### review\n');
      expect(r.summary).toBe('### review\n');
      expect(r.env.TF_TOKEN_app_terraform_io).toBe(''); // an S3 stack
    });

    test('passes the committed .github/mlflow-infra-allow-destroy/<stack>.txt with --allow-destroy-file when it exists', () => {
      const r = scenario({ exitCode: 2, allowFile: 'aws_db_instance.main # engine upgrade\n' });
      expect(r.argv).toEqual(['bin/mlflow-infra.js', 'plan', 'mlflow-staging', '--no-synth', '--no-lock', '--format', 'markdown', '--title', 'mlflow-staging', '--allow-destroy-file', '.github/mlflow-infra-allow-destroy/mlflow-staging.txt']);
    });

    test.each([0, 1, 2, 3])('exit %i is recorded for the guard, and the step itself succeeds so the comment is posted', (exitCode) => {
      const r = scenario({ exitCode });
      expect(r.code).toBe(0);
      expect(r.output).toBe(`exit-code=${exitCode}\n`);
    });

    test('a failure before any review leaves review.md empty (the comment step then says there is no review)', () => {
      const r = scenario({ exitCode: 1, stdout: '' });
      expect(r.review).toBe('');
    });

    test('the arguments it passes are accepted by the real CLI (no usage error; the allow-list is read)', async () => {
      const r = scenario({ exitCode: 2, allowFile: 'aws_db_instance.main\n' });
      const d = tempDir('mlflow-infra-planargs-');
      try {
        fs.mkdirSync(path.join(d.work, '.github/mlflow-infra-allow-destroy'), { recursive: true });
        fs.writeFileSync(path.join(d.work, '.github/mlflow-infra-allow-destroy/mlflow-staging.txt'), 'not an address\n');
        // The checkout holds the committed synth output (plan --no-synth checks the stack is there).
        fs.mkdirSync(path.join(d.work, 'cdktf.out/stacks/mlflow-staging'), { recursive: true });
        fs.writeFileSync(path.join(d.work, 'cdktf.out/stacks/mlflow-staging/cdk.tf.json'), '{}');
        const io = captureIo({ cwd: d.work, env: { PATH: d.bin } });
        const code = await main(r.argv.slice(1), io);
        // Parsed fine (not 64), and the allow-list is read before terraform is looked for.
        expect(code).toBe(1);
        expect(io.err.join('')).toContain('--allow-destroy-file .github/mlflow-infra-allow-destroy/mlflow-staging.txt: 1 invalid line:');
      } finally {
        d.cleanup();
      }
    });
  });

  test('the VCS-driven step (run with bash) writes a comment body with the API download and review-plan, and plans nothing', () => {
    const step = stepNamed(jobs.plan, /^VCS-driven workspace/);
    const d = tempDir('mlflow-infra-vcsstep-');
    try {
      const summary = path.join(d.root, 'summary');
      const r = runStep(step.run!, d.work, { PATH: '/usr/bin:/bin', GITHUB_STEP_SUMMARY: summary, STACK: resolveTemplate(step.env!.STACK, { matrix: { stack: 'mlflow-production' } }) });
      expect(r.code).toBe(0);
      const review = fs.readFileSync(path.join(d.work, 'review.md'), 'utf8');
      expect(review.split('\n')[0]).toBe('### mlflow-production: planned by HCP Terraform (VCS-driven workspace)');
      expect(review).toContain('Saved plans not allowed for workspaces with a VCS connection');
      expect(review).toContain('curl -sSfL -H "Authorization: Bearer $TF_TOKEN_app_terraform_io" -o plan.json https://app.terraform.io/api/v2/runs/<run-id>/plan/json-output\n');
      expect(review).toContain('node bin/mlflow-infra.js review-plan plan.json');
      // The same lines as the CLI's own message (plan/drift on a VCS-driven workspace) and the docs.
      const lines = runPlanDownload('app.terraform.io');
      const removal = 'rm plan.json   # it holds sensitive values in clear text: never commit, upload or paste it';
      expect(review).toContain(['```sh', ...lines, removal, '```'].join('\n'));
      expect(fs.readFileSync(path.join(ROOT, 'docs/terraform-cloud.md'), 'utf8')).toContain(['```sh', ...lines, removal, '```'].map((l) => `  ${l}`).join('\n'));
      expect(vcsWorkspaceMessage('mlflow-production', 'plan', 'app.terraform.io')).toContain(lines.map((l) => `    ${l}`).join('\n'));
      expect(review).toContain('```sh\n');
      expect(fs.readFileSync(summary, 'utf8')).toBe(review);
      expect(step.run).not.toMatch(/mlflow-infra plan|terraform plan/);
    } finally {
      d.cleanup();
    }
  });

  describe('comment step (run with bash against a fake gh)', () => {
    const plan = jobs.plan;
    const step = stepNamed(plan, /PR comment/);
    const SHA = '0123456789abcdef0123456789abcdef01234567';
    const RUN = 'https://github.com/acme/infra/actions/runs/42/attempts/1';
    const MARKER = '<!-- mlflow-infra-plan:mlflow-staging -->';
    /** A comment on the pull request, as GET .../issues/:n/comments returns it. */
    interface IssueComment {
      id: number;
      user: { login: string; type: string };
      body: string;
    }
    const ours = (id: number, body = `${MARKER}\n<sub>Review of an older commit</sub>`): IssueComment => ({ id, user: { login: 'github-actions[bot]', type: 'Bot' }, body });
    const scenario = (options: { review?: string; comments?: IssueComment[]; outcomes?: Record<string, string>; reviewExit?: string; checkResult?: string }) => {
      const d = tempDir('mlflow-infra-comment-');
      try {
        const log = path.join(d.root, 'gh.log');
        const posted = path.join(d.root, 'posted.md');
        const comments = path.join(d.root, 'comments.json');
        fs.writeFileSync(comments, JSON.stringify(options.comments ?? []));
        // The fake applies the step's --jq filter to the comments with jq, as gh does (with gojq).
        fs.writeFileSync(
          path.join(d.bin, 'gh'),
          [
            '#!/bin/sh',
            `printf '%s\\n' "$*" >> "${log}"`,
            'filter=""; prev=""',
            'for a in "$@"; do if [ "$prev" = "--jq" ]; then filter="$a"; fi; prev="$a"; done',
            'case "$*" in',
            `  *--paginate*) jq -r "$filter" "${comments}" ;;`,
            `  *"body=@comment.md"*) cat comment.md > "${posted}" ;;`,
            'esac',
          ].join('\n'),
          { mode: 0o755 },
        );
        if (options.review !== undefined) fs.writeFileSync(path.join(d.work, 'review.md'), options.review);
        const ctx = {
          matrix: { stack: 'mlflow-staging' },
          github: { repository: 'acme/infra', server_url: 'https://github.com', run_id: 42, run_attempt: 1, token: 'gh-token', event: { pull_request: { number: 7, head: { sha: SHA }, base: { ref: 'main' } } } },
          needs: { check: { result: options.checkResult ?? 'success' } },
          steps: Object.fromEntries(
            ['checkout', 'node', 'terraform', 'install', 'aws', 'review', 'vcs'].map((id) => [id, { outcome: options.outcomes?.[id] ?? (id === 'vcs' ? 'skipped' : 'success'), outputs: id === 'review' ? { 'exit-code': options.reviewExit ?? '2' } : {} }]),
          ),
        };
        const env: Record<string, string> = { PATH: `${d.bin}:${process.env.PATH}` };
        for (const [k, v] of Object.entries(step.env ?? {})) env[k] = resolveTemplate(v, ctx);
        const r = runStep(step.run!, d.work, env);
        return { ...r, env, calls: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trimEnd().split('\n') : [], body: fs.existsSync(posted) ? fs.readFileSync(posted, 'utf8') : undefined };
      } finally {
        d.cleanup();
      }
    };
    const LIST = `api --paginate repos/acme/infra/issues/7/comments --jq .[] | select(.user.type == "Bot" and .user.login == "github-actions[bot]" and (.body | startswith("${MARKER}"))) | .id`;

    test('STEP_OUTCOMES lists every earlier step of the job, in order, by its id', () => {
      const index = plan.steps.indexOf(step);
      const ids = plan.steps.slice(0, index).map((s) => s.id);
      expect(ids.every((id) => typeof id === 'string')).toBe(true);
      expect(String(step.env!.STEP_OUTCOMES).trimEnd().split('\n').map((l) => /^\$\{\{ steps\.([\w-]+)\.outcome \}\} /.exec(l)?.[1])).toEqual(ids);
      expect(step.if).toBe('${{ !cancelled() }}');
    });

    test('no comment yet: creates one with the marker, the head SHA, the run link and the review', () => {
      const r = scenario({ review: '### mlflow-staging\n\nPlan: 1 to add\n' });
      expect(r.code).toBe(0);
      expect(r.env.RUN_URL).toBe(RUN);
      expect(r.calls).toEqual([LIST, 'api -X POST repos/acme/infra/issues/7/comments -F body=@comment.md']);
      expect(r.body).toBe(`${MARKER}\n<sub>Review of ${SHA} merged into main (the pull request's merge commit, as checked out) · [workflow run](${RUN})</sub>\n\n### mlflow-staging\n\nPlan: 1 to add`);
    });

    test("an existing comment (found by the marker) is updated in place: the first one, never a second comment", () => {
      const r = scenario({ review: '### mlflow-staging\n', comments: [ours(111), ours(222)] });
      expect(r.calls).toEqual([LIST, 'api -X PATCH repos/acme/infra/issues/comments/111 -F body=@comment.md']);
      expect(r.body!.startsWith(`${MARKER}\n<sub>Review of ${SHA}`)).toBe(true);
    });

    test("someone else's comment that starts with the marker is never edited: only github-actions[bot]'s (a Bot) counts", () => {
      const human = { id: 100, user: { login: 'mallory', type: 'User' }, body: `${MARKER}\nquoted review` };
      const otherBot = { id: 101, user: { login: 'renovate[bot]', type: 'Bot' }, body: `${MARKER}\ncopied` };
      const impostor = { id: 102, user: { login: 'github-actions[bot]', type: 'User' }, body: `${MARKER}\n` };
      const otherStack = ours(103, '<!-- mlflow-infra-plan:mlflow-production -->\n');
      const alone = scenario({ review: '### r\n', comments: [human, otherBot, impostor, otherStack] });
      expect(alone.calls[1]).toBe('api -X POST repos/acme/infra/issues/7/comments -F body=@comment.md');
      const withOurs = scenario({ review: '### r\n', comments: [human, otherBot, ours(300)] });
      expect(withOurs.calls[1]).toBe('api -X PATCH repos/acme/infra/issues/comments/300 -F body=@comment.md');
    });

    test('a failed check job (plan job run only to comment) replaces the previous review with "no review for <sha>: the check job failed"', () => {
      const skipped = Object.fromEntries(['checkout', 'node', 'terraform', 'install', 'aws', 'review', 'vcs'].map((id) => [id, 'skipped']));
      const r = scenario({ checkResult: 'failure', outcomes: skipped, comments: [ours(111)] });
      // The comment is posted, then the job fails: a green "plan" job next to a red check would mislead.
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('::error::not planned: the check job failed');
      expect(r.calls[1]).toBe('api -X PATCH repos/acme/infra/issues/comments/111 -F body=@comment.md');
      expect(r.body).toBe(`${MARKER}\n**mlflow-staging**: no review for ${SHA}: the check job failed (lint, type check, tests, validation or synth freshness), so nothing was planned; see ${RUN}`);
    });

    test.each([
      ['checkout', 'checkout'],
      ['install', 'npm ci'],
      ['aws', 'AWS credentials'],
      ['review', 'Plan and review'],
    ])('a job that failed at %s replaces the previous review with "no review for <sha>: the job failed at <step>, see <run>"', (id, name) => {
      const outcomes: Record<string, string> = { [id]: 'failure' };
      const order = ['checkout', 'node', 'terraform', 'install', 'aws', 'review', 'vcs'];
      for (const later of order.slice(order.indexOf(id) + 1)) outcomes[later] = 'skipped';
      // A review.md left from an earlier step must not be posted as if it belonged to this commit.
      const r = scenario({ outcomes, review: id === 'review' ? '### stale\n' : undefined, comments: [ours(111)] });
      expect(r.code).toBe(0);
      expect(r.calls[1]).toBe('api -X PATCH repos/acme/infra/issues/comments/111 -F body=@comment.md');
      expect(r.body).toBe(`${MARKER}\n**mlflow-staging**: no review for ${SHA}: the job failed at ${name}, see ${RUN}`);
    });

    test('mlflow-infra plan failing before printing a review (empty review.md) is said too, with its exit code', () => {
      const r = scenario({ review: '', reviewExit: '1' });
      expect(r.body).toBe(`${MARKER}\n**mlflow-staging**: no review for ${SHA}: the job failed at Plan and review (mlflow-infra plan exited 1 before printing a review), see ${RUN}`);
    });

    test('a review longer than a GitHub comment allows is cut to 65,536 characters (not bytes) with a note pointing to the run: exactly what gh sends', () => {
      const review = `### mlflow-staging\n${'é'.repeat(70000)}\n`;
      const r = scenario({ review });
      expect(r.code).toBe(0);
      const body = r.body!; // the file gh -F body=@comment.md sends, unchanged
      expect([...body].length).toBe(65536);
      expect(body.startsWith(`${MARKER}\n<sub>Review of ${SHA}`)).toBe(true);
      expect(body.endsWith(`\n\n> [!WARNING]\n> **Truncated** to fit a GitHub comment; the whole review is in the run's job summary: ${RUN}`)).toBe(true);
    });
  });

  describe('guard step (run with each exit code)', () => {
    const step = stepNamed(jobs.plan, /guard/i);
    const run = (code: string) => {
      const d = tempDir('mlflow-infra-guard-');
      try {
        const env: Record<string, string> = {};
        for (const [k, v] of Object.entries(step.env ?? {})) env[k] = String(v).replace('${{ steps.review.outputs.exit-code }}', code).replace('${{ matrix.stack }}', 'mlflow-staging');
        return runStep(step.run!, d.work, env);
      } finally {
        d.cleanup();
      }
    };
    test.each([['0'], ['2']])('exit %s passes', (code) => {
      expect(run(code).code).toBe(0);
    });
    test('exit 3 (blocked) fails the job and says how to allow an intended replacement', () => {
      const r = run('3');
      expect(r.code).toBe(3);
      expect(r.stdout).toContain('::error::blocked: a stateful resource would be destroyed or replaced. If that is intended, add its address (with a # reason) to .github/mlflow-infra-allow-destroy/mlflow-staging.txt');
    });
    test.each([['1'], ['']])('exit %j (error, or no result) fails the job', (code) => {
      expect(run(code).code).toBe(1);
    });
  });

  test('no plan JSON leaves the runner: no artifact upload, no `show -json` written or printed by the workflow', () => {
    expect(allSteps.filter((s) => /upload-artifact|cache@/.test(s.uses ?? ''))).toEqual([]);
    for (const script of runScripts) expect(script).not.toMatch(/show\s+-json|tfplan/);
  });
});
