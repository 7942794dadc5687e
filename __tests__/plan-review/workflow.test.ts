/**
 * The users' CI workflow (.github/workflows/mlflow-infra.yml), read with a strict YAML-subset reader:
 * what it calls exists (npm scripts, mlflow-infra commands and options), it covers install, lint,
 * test, synth freshness, a plan per synthesized stack (an AWS-role job and a Terraform Cloud job
 * sharing one step list), the PR comment, the guard, and the apply on merge of exactly the reviewed
 * plan; each job has least privilege; and its shell steps are RUN with bash against test doubles
 * (npx, npm, node, terraform, gh) and the real openssl to check what they actually do.
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
import { writeReviewRecord } from '../../src/plan-review/saved-plan';
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
  needs?: string | string[];
  if?: string;
  name?: string;
  environment?: string;
  concurrency?: { group?: string; 'cancel-in-progress'?: YamlValue };
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, YamlValue> };
  steps: Step[];
}
const workflow = parseYamlSubset(WORKFLOW_TEXT) as unknown as { on: Record<string, YamlValue>; jobs: Record<string, Job>; concurrency: { group: string; 'cancel-in-progress': YamlValue } };
const jobs = workflow.jobs;
/** The two plan jobs: S3-backend stacks (an AWS role) and Terraform Cloud stacks (no AWS role). */
const planAws = jobs['plan-aws'];
const planTfc = jobs['plan-tfc'];
const PLAN_JOBS = { 'plan-aws': planAws, 'plan-tfc': planTfc };
// The plan jobs share one step list (a YAML alias): count it once.
const allSteps = [...new Set(Object.values(jobs).map((j) => j.steps))].flat();
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
function simulateJob(job: Job, matrix: Record<string, YamlValue>, outcomes: Record<string, string> = {}, cancelled = false, checkResult = 'success', event = 'pull_request') {
  const steps: Record<string, { outcome: string }> = {};
  const result: [string, string][] = [];
  let failed = false;
  for (const step of job.steps) {
    const key = step.id ?? step.name ?? step.uses ?? step.run ?? '?';
    const runs = stepRuns(step, { matrix, steps, secrets: {}, github: { event_name: event }, needs: { check: { result: checkResult } } }, { failed, cancelled });
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

  test('reads anchors and aliases: an alias is the anchored value itself (the same object)', () => {
    const doc = parseYamlSubset(['a:', '  steps: &s # shared', '    - run: x', '  n: &n 3', 'b:', '  steps: *s', '  n: *n'].join('\n')) as { a: { steps: unknown; n: number }; b: { steps: unknown; n: number } };
    expect(doc.a).toEqual({ steps: [{ run: 'x' }], n: 3 });
    expect(doc.b.steps).toBe(doc.a.steps);
    expect(doc.b.n).toBe(3);
  });

  test.each([
    ['a:\n\tb: 1', 'line 2: tabs are not allowed in indentation'],
    ['a: *x', "line 1: alias '*x' before (or without) its anchor: a: *x"],
    ['a: &x 1\nb: &x 2', "line 2: duplicate anchor 'x': b: &x 2"],
    ['a: &x\n  k: 1\nb:\n  <<: *x', 'line 4: expected "key: value": <<: *x'], // GitHub rejects the merge key too
    ['a: !!str x', "line 1: unsupported YAML feature '!': a: !!str x"],
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
    expect(invocations.map((i) => i.argv[0]).sort()).toEqual(['apply', 'check', 'plan', 'review-plan', 'validate']); // review-plan: in the VCS-driven comment's instructions
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
  describe('the plan jobs (plan-aws: S3-backend stacks with an AWS role; plan-tfc: Terraform Cloud stacks)', () => {
    const entriesOf = (job: Job) => (job.strategy!.matrix!.include as Record<string, YamlValue>[]) ?? [];
    const entries = [...entriesOf(planAws), ...entriesOf(planTfc)];
    const entry = (stack: string) => entries.find((e) => e.stack === stack)!;
    /** The job that plans a stack. */
    const jobOf = (stack: string) => (entriesOf(planAws).some((e) => e.stack === stack) ? planAws : planTfc);
    const stacksDir = path.join(ROOT, 'cdktf.out/stacks');
    /** A Terraform Cloud stack whose workspace is VCS-driven: the entry a user writes for one. */
    const vcsEntry = { stack: 'mlflow-production', backend: 'cloud', workflow: 'vcs', environment: '' };
    const COMMENT = 'Post the review as a PR comment (one per stack, updated in place)';

    test('between them they plan every stack of cdktf.out/manifest.json, each once, after the checks, from one shared step list', () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.out/manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
      expect(entries.map((e) => e.stack).sort()).toEqual(Object.keys(manifest.stacks).sort());
      expect(new Set(entries.map((e) => e.stack)).size).toBe(entries.length);
      for (const job of Object.values(PLAN_JOBS)) {
        expect(job.needs).toBe('check');
        expect(job.steps.map((s) => s.run?.trim()).includes('npm ci')).toBe(true);
      }
      // The same list (an alias of the anchor), not a copy that could drift.
      expect(planTfc.steps).toBe(planAws.steps);
      expect(WORKFLOW_TEXT).toMatch(/^ {4}steps: &plan-steps$/m);
      expect(WORKFLOW_TEXT).toMatch(/^ {4}steps: \*plan-steps$/m);
    });

    test('plan-aws has every S3-backend stack and an OIDC token (it assumes the plan role); plan-tfc has every Terraform Cloud stack and no OIDC token', () => {
      expect(entriesOf(planAws).map((e) => e.backend)).toEqual(entriesOf(planAws).map(() => 's3'));
      expect(entriesOf(planTfc).map((e) => e.backend)).toEqual(entriesOf(planTfc).map(() => 'cloud'));
      expect(planAws.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
      expect(planTfc.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
      const aws = planAws.steps.find((s) => s.id === 'aws')!;
      expect(aws.with!['role-to-assume']).toBe('${{ vars.MLFLOW_PLAN_ROLE_ARN }}');
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

    test("plan-tfc runs in the entry's GitHub environment (where TF_API_TOKEN is an environment secret); plan-aws in none", () => {
      const needs = { check: { result: 'success' } };
      expect(resolveTemplate(planTfc.environment, { matrix: entry('mlflow-production'), needs })).toBe('mlflow-production-plan');
      expect(resolveTemplate(planTfc.environment, { matrix: vcsEntry, needs })).toBe('');
      expect(planAws.environment).toBeUndefined();
    });

    test('the workspace-admin token reaches only Terraform Cloud stacks, and only the plan step', () => {
      const review = stepNamed(planAws, /^Plan and review$/);
      const secrets = { TF_API_TOKEN: 'admin-token' };
      expect(resolveTemplate(review.env!.TF_TOKEN_app_terraform_io, { matrix: entry('mlflow-production'), secrets })).toBe('admin-token');
      for (const stack of ['mlflow-staging', 'mlflow-apprunner-staging']) expect(resolveTemplate(review.env!.TF_TOKEN_app_terraform_io, { matrix: entry(stack), secrets })).toBe('');
      expect(WORKFLOW_TEXT.match(/secrets\.TF_API_TOKEN/g)).toHaveLength(1);
      // Not exported workflow- or job-wide, where every step (and every stack) would see it.
      const envs = [(workflow as { env?: unknown }).env, ...Object.values(jobs).map((job) => (job as { env?: unknown }).env)];
      for (const env of envs) expect(JSON.stringify(env ?? {})).not.toContain('TF_TOKEN');
    });

    test('the OIDC client secret reaches only S3 stacks\' plan step (a Terraform Cloud stack has it as a workspace variable)', () => {
      const review = stepNamed(planAws, /^Plan and review$/);
      const secrets = { MLFLOW_OIDC_CLIENT_SECRET: 'oidc-secret' };
      expect(resolveTemplate(review.env!.TF_VAR_oidc_client_secret, { matrix: entry('mlflow-staging'), secrets })).toBe('oidc-secret');
      expect(resolveTemplate(review.env!.TF_VAR_oidc_client_secret, { matrix: entry('mlflow-production'), secrets })).toBe('');
      expect(WORKFLOW_TEXT.match(/secrets\.MLFLOW_OIDC_CLIENT_SECRET/g)).toHaveLength(1);
    });

    test.each([
      ['an S3 stack', 'mlflow-staging'],
      ['a CLI-driven Terraform Cloud stack', 'mlflow-production'],
    ])('which steps run for %s on a pull request: AWS credentials only for S3, the saved plan, the comment, the guard; nothing handed to an apply', (_kind, stack) => {
      const ran = simulateJob(jobOf(stack), entry(stack));
      expect(Object.fromEntries(ran.filter(([k]) => ['aws', 'review', 'vcs'].includes(k) || /comment|guard|Encrypt|upload/i.test(k)).map(([k, o]) => [k.replace(/^Post.*/, 'comment').replace(/^Enforce.*/, 'guard').replace(/^Encrypt.*/, 'encrypt').replace(/.*upload-artifact.*/, 'upload'), o]))).toEqual({
        aws: entry(stack).backend === 's3' ? 'success' : 'skipped',
        review: 'success',
        vcs: 'skipped',
        comment: 'success',
        guard: 'success',
        encrypt: 'skipped',
        upload: 'skipped',
      });
    });

    test('on a push to main (S3 stacks): plan, guard, then the encrypted hand-off; no comment', () => {
      const ran = Object.fromEntries(simulateJob(planAws, entry('mlflow-staging'), {}, false, 'success', 'push'));
      expect(ran).toMatchObject({ aws: 'success', review: 'success', vcs: 'skipped', [COMMENT]: 'skipped', 'Enforce the guard': 'success', 'Encrypt the reviewed plan for the apply job': 'success' });
      expect(Object.entries(ran).find(([k]) => k.startsWith('actions/upload-artifact@'))![1]).toBe('success');
      // A blocked review fails the guard: nothing is handed over.
      const blocked = Object.fromEntries(simulateJob(planAws, entry('mlflow-staging'), { 'Enforce the guard': 'failure' }, false, 'success', 'push'));
      expect(blocked['Encrypt the reviewed plan for the apply job']).toBe('skipped');
      expect(Object.entries(blocked).find(([k]) => k.startsWith('actions/upload-artifact@'))![1]).toBe('skipped');
    });

    test('a VCS-driven Terraform Cloud stack: the saved-plan step (and the guard) never run; the comment explains', () => {
      const ran = Object.fromEntries(simulateJob(planTfc, vcsEntry));
      expect(ran).toMatchObject({ aws: 'skipped', review: 'skipped', vcs: 'success' });
      expect(ran[COMMENT]).toBe('success');
      expect(ran['Enforce the guard']).toBe('skipped');
    });

    test('when an earlier step fails the comment step still runs (and the guard does not); when the run is cancelled it does not', () => {
      const failed = Object.fromEntries(simulateJob(planAws, entry('mlflow-staging'), { install: 'failure' }));
      expect(failed).toMatchObject({ install: 'failure', aws: 'skipped', review: 'skipped', vcs: 'skipped', 'Enforce the guard': 'skipped' });
      expect(failed[COMMENT]).toBe('success');
      const cancelled = Object.fromEntries(simulateJob(planAws, entry('mlflow-staging'), {}, true));
      expect(cancelled[COMMENT]).toBe('skipped');
    });

    test('when the check job failed a pull request\'s plan jobs still run (so no older review stands), but only their comment step: no environment, nothing checked out, planned or credentialed; a push plans nothing', () => {
      const jobRuns = (job: Job, options: { checkFailed: boolean; cancelled?: boolean; repo?: string; event?: string }) => {
        const event = options.event ?? 'pull_request';
        const github = { event_name: event, repository: 'acme/infra', event: event === 'pull_request' ? { pull_request: { head: { repo: { full_name: options.repo ?? 'acme/infra' } } } } : {} };
        // Job level: GitHub adds success() (all needs succeeded) unless the `if` uses a status function.
        return stepRuns({ if: job.if }, { github, needs: { check: { result: options.checkFailed ? 'failure' : 'success' } } }, { failed: options.checkFailed, cancelled: options.cancelled });
      };
      for (const job of Object.values(PLAN_JOBS)) {
        expect(jobRuns(job, { checkFailed: true })).toBe(true);
        expect(jobRuns(job, { checkFailed: false })).toBe(true);
        expect(jobRuns(job, { checkFailed: true, cancelled: true })).toBe(false); // cancelled (e.g. by a newer push)
        expect(jobRuns(job, { checkFailed: false, repo: 'fork/infra' })).toBe(false);
        expect(jobRuns(job, { checkFailed: true, event: 'push' })).toBe(false);
      }
      expect(jobRuns(planAws, { checkFailed: false, event: 'push' })).toBe(true);
      expect(jobRuns(planTfc, { checkFailed: false, event: 'push' })).toBe(false); // applies in HCP Terraform
      for (const stack of ['mlflow-production', 'mlflow-staging']) {
        if (jobOf(stack).environment !== undefined) expect(resolveTemplate(jobOf(stack).environment, { matrix: entry(stack), needs: { check: { result: 'failure' } } })).toBe('');
        const ran = simulateJob(jobOf(stack), entry(stack), {}, false, 'failure');
        expect(ran.filter(([, outcome]) => outcome !== 'skipped').map(([k]) => k)).toEqual([COMMENT]);
      }
      expect(resolveTemplate(planTfc.environment, { matrix: entry('mlflow-production'), needs: { check: { result: 'success' } } })).toBe('mlflow-production-plan');
    });
  });

  describe('plan step (run with a fake node that records its arguments)', () => {
    const step = stepNamed(planAws, /^Plan and review$/);
    const entry = (planAws.strategy!.matrix!.include as Record<string, YamlValue>[]).find((e) => e.stack === 'mlflow-staging')!;
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

    test('the OIDC client secret reaches terraform as TF_VAR_oidc_client_secret; unset (not empty) without the secret, so terraform asks for it instead of planning ""', () => {
      const seen = (secret: string | undefined) => {
        const d = tempDir('mlflow-infra-tfvar-');
        try {
          fs.writeFileSync(path.join(d.bin, 'node'), `#!/bin/sh\nprintf '%s' "\${TF_VAR_oidc_client_secret-unset}" > "${d.root}/seen"\n`, { mode: 0o755 });
          const env: Record<string, string> = { PATH: `${d.bin}:${process.env.PATH}`, GITHUB_OUTPUT: path.join(d.root, 'output'), GITHUB_STEP_SUMMARY: path.join(d.root, 'summary') };
          for (const [k, v] of Object.entries(step.env ?? {})) env[k] = resolveTemplate(v, { matrix: entry, secrets: secret === undefined ? {} : { MLFLOW_OIDC_CLIENT_SECRET: secret } });
          expect(runStep(step.run!, d.work, env).code).toBe(0);
          return fs.readFileSync(path.join(d.root, 'seen'), 'utf8');
        } finally {
          d.cleanup();
        }
      };
      expect(seen('s3cret')).toBe('s3cret');
      expect(seen(undefined)).toBe('unset');
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
    const step = stepNamed(planTfc, /^VCS-driven workspace/);
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
    const plan = planAws;
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
      expect(step.if).toBe("${{ !cancelled() && github.event_name == 'pull_request' }}");
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
    const step = stepNamed(planAws, /guard/i);
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

  test('no plan JSON leaves the runner, and no saved plan unencrypted: the only artifact is the encrypted hand-off, on a push, kept one day', () => {
    for (const script of runScripts) expect(script).not.toMatch(/show\s+-json/);
    const uploads = allSteps.filter((s) => /upload-artifact|cache@/.test(s.uses ?? ''));
    expect(uploads).toHaveLength(1);
    expect(uploads[0].if).toBe("github.event_name == 'push'");
    expect(uploads[0].with).toEqual({ name: 'mlflow-infra-plan-${{ matrix.stack }}', path: 'handoff/', 'retention-days': 1, 'if-no-files-found': 'error' });
    // What goes into handoff/: the encrypted plan and the review record (no secret in it), nothing else.
    const seal = stepNamed(planAws, /^Encrypt the reviewed plan/);
    expect(seal.run!.match(/handoff\/[\w.]+/g)).toEqual(['handoff/tfplan.enc', 'handoff/tfplan.review.json']);
    expect(seal.run).toMatch(/openssl enc -aes-256-cbc -pbkdf2 .* -in "\$dir\/tfplan" -out handoff\/tfplan\.enc\n/);
  });
  describe('least privilege and supply chain, for every job', () => {
    const ROLE_ACTION = 'aws-actions/configure-aws-credentials@';
    const matrixEntries = (job: Job) => (job.strategy?.matrix?.include as Record<string, YamlValue>[] | undefined) ?? [{}];

    test('a job has id-token: write exactly when it assumes an AWS role, and then for EVERY matrix entry (a job-wide grant must not reach an entry that assumes none)', () => {
      const withToken = Object.entries(jobs).filter(([, job]) => job.permissions?.['id-token'] === 'write').map(([name]) => name);
      const assuming = Object.entries(jobs).filter(([, job]) => job.steps.some((s) => s.uses?.startsWith(ROLE_ACTION) && typeof s.with?.['role-to-assume'] === 'string')).map(([name]) => name);
      expect(withToken.sort()).toEqual(['apply', 'plan-aws']);
      expect(assuming.sort()).toEqual(['apply', 'plan-aws', 'plan-tfc']); // plan-tfc shares the step list...
      for (const name of assuming) {
        const job = jobs[name];
        for (const matrix of matrixEntries(job)) {
          const ran = simulateJob(job, matrix, {}, false, 'success', name === 'apply' ? 'push' : 'pull_request');
          const roleRuns = ran.some(([key, outcome]) => outcome === 'success' && job.steps.find((s) => (s.id ?? s.name ?? s.uses ?? s.run) === key)?.uses?.startsWith(ROLE_ACTION));
          // ...but the role step never runs there: it needs no token. Every entry of a token job runs it.
          expect({ job: name, stack: matrix.stack, roleRuns }).toEqual({ job: name, stack: matrix.stack, roleRuns: withToken.includes(name) });
        }
      }
    });

    test('the workflow grants only contents: read by default; the jobs widen it only as needed', () => {
      expect((workflow as { permissions?: unknown }).permissions).toEqual({ contents: 'read' });
      expect(jobs.check.permissions).toBeUndefined();
      expect(jobs.apply.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    });

    // Every checkout with persist-credentials: false, every action pinned by SHA with its version:
    // __tests__/scripts/github-config.test.ts.

    test('a newer push cancels an older run of a pull request, never a run on main (it may be applying)', () => {
      const cancel = String(workflow.concurrency['cancel-in-progress']).replace(/^\$\{\{(.*)\}\}$/, '$1');
      expect(evaluateExpression(cancel, { github: { event_name: 'pull_request' } })).toBe(true);
      expect(evaluateExpression(cancel, { github: { event_name: 'push' } })).toBe(false);
    });
  });

  describe('the apply job (push to main: applies exactly the plan plan-aws reviewed)', () => {
    const apply = jobs.apply;
    const entries = apply.strategy!.matrix!.include as Record<string, YamlValue>[];
    const applyStep = stepNamed(apply, /^Apply the reviewed plan$/);

    test('runs on a push to main only, after the checks and every S3 stack\'s reviewed plan, for every plan-aws stack', () => {
      expect(apply.needs).toEqual(['check', 'plan-aws']);
      const runs = (event: string, ref: string) => evaluateExpression(apply.if!, { github: { event_name: event, ref } });
      expect(runs('push', 'refs/heads/main')).toBe(true);
      expect(runs('pull_request', 'refs/pull/7/merge')).toBe(false);
      expect(runs('push', 'refs/heads/feature')).toBe(false);
      expect(entries.map((e) => e.stack)).toEqual((planAws.strategy!.matrix!.include as Record<string, YamlValue>[]).map((e) => e.stack));
      // No Terraform Cloud stack: those apply in HCP Terraform itself, and the workflow says so.
      expect(WORKFLOW_TEXT).toContain('# Terraform Cloud stacks are not applied here: they apply in HCP Terraform itself');
    });

    test('one apply per stack at a time (across runs), never cancelled half-way', () => {
      const groups = entries.map((e) => resolveTemplate(apply.concurrency!.group, { matrix: e }));
      expect(groups).toEqual(entries.map((e) => `mlflow-infra-apply-${e.stack}`));
      expect(apply.concurrency!['cancel-in-progress']).toBe(false);
    });

    test('each stack applies in its own GitHub environment (approval rules, the apply role variable), with the apply role, not the plan role', () => {
      for (const e of entries) expect(resolveTemplate(apply.environment, { matrix: e })).toBe(`${e.stack}-apply`);
      const role = apply.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))!;
      expect(role.with!['role-to-assume']).toBe('${{ vars.MLFLOW_APPLY_ROLE_ARN }}');
      expect(WORKFLOW_TEXT.match(/MLFLOW_APPLY_ROLE_ARN/g)!.length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(planAws.steps)).not.toContain('MLFLOW_APPLY_ROLE_ARN');
      // The hand-off is the artifact plan-aws uploaded for the same stack.
      const download = apply.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
      const upload = planAws.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
      expect(download.with).toEqual({ name: upload.with!.name, path: 'handoff' });
      expect(apply.steps.indexOf(download)).toBeLessThan(apply.steps.indexOf(applyStep));
    });

    test('uses mlflow-infra apply --plan with the allow-list the plan was reviewed with, after an init that never changes the lock file', () => {
      const calls = applyStep.run!.split('\n').map((l) => shellWords(l.trim())).filter((w) => w[0] === 'node' || w[0] === 'terraform');
      expect(calls).toEqual([
        ['terraform', '-chdir="$dir"', 'init', '-input=false', '-lockfile=readonly'],
        ['node', 'bin/mlflow-infra.js', 'apply', '$STACK', '--plan', '$dir/tfplan', '${allow[@]}'],
      ]);
      expect(applyStep.env!.ALLOW_FILE).toBe(stepNamed(planAws, /^Plan and review$/).env!.ALLOW_FILE);
    });

    test('the docs say how to set it up: every secret and variable the workflow reads, every apply environment, and that merging applies', () => {
      const docs = ['docs/first-deploy.md', 'docs/terraform-cloud.md'].map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
      const names = [...new Set([...WORKFLOW_TEXT.matchAll(/\b(?:secrets|vars)\.([A-Z_]+)/g)].map((m) => m[1]))];
      expect(names.sort()).toEqual(['MLFLOW_APPLY_ROLE_ARN', 'MLFLOW_OIDC_CLIENT_SECRET', 'MLFLOW_PLAN_ARTIFACT_KEY', 'MLFLOW_PLAN_ROLE_ARN', 'TF_API_TOKEN']);
      for (const name of names) expect({ name, documented: docs.includes(`\`${name}\``) }).toEqual({ name, documented: true });
      for (const e of entries) expect(docs).toContain(`\`${resolveTemplate(apply.environment, { matrix: e })}\``);
      const guide = fs.readFileSync(path.join(ROOT, 'docs/first-deploy.md'), 'utf8');
      expect(guide).toContain('## CI plans; merging applies');
      expect(WORKFLOW_TEXT).toContain('docs/first-deploy.md, "CI plans; merging applies"');
      expect(guide).not.toMatch(/it does not apply|a person applies/);
    });

    describe('the hand-off, run with bash: the real openssl, a fake terraform and node', () => {
      const seal = stepNamed(planAws, /^Encrypt the reviewed plan/);
      const PLAN = Buffer.from('PK\u0003\u0004 a saved plan with oidc_client_secret=hunter2 in clear text\n');
      const RECORD = '{"version":1,"stack":"mlflow-staging"}\n';
      const run = (options: { sealKey?: string; applyKey?: string; allowFile?: string }) => {
        const planSide = tempDir('mlflow-infra-seal-');
        const applySide = tempDir('mlflow-infra-applystep-');
        try {
          const dir = 'cdktf.out/stacks/mlflow-staging';
          fs.mkdirSync(path.join(planSide.work, dir), { recursive: true });
          fs.writeFileSync(path.join(planSide.work, dir, 'tfplan'), PLAN);
          fs.writeFileSync(path.join(planSide.work, dir, 'tfplan.review.json'), RECORD);
          const env = (step: Step, key: string | undefined) => Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, resolveTemplate(v, { matrix: { stack: 'mlflow-staging' }, secrets: key === undefined ? {} : { MLFLOW_PLAN_ARTIFACT_KEY: key } })]));
          const sealed = runStep(seal.run!, planSide.work, env(seal, options.sealKey));
          const handoff = path.join(planSide.work, 'handoff');
          const uploaded = fs.existsSync(handoff) ? fs.readdirSync(handoff).sort() : [];
          if (sealed.code !== 0) return { sealed, uploaded };
          // The artifact, downloaded into a fresh checkout of the same commit.
          fs.cpSync(handoff, path.join(applySide.work, 'handoff'), { recursive: true });
          fs.mkdirSync(path.join(applySide.work, dir), { recursive: true });
          if (options.allowFile !== undefined) {
            fs.mkdirSync(path.join(applySide.work, '.github/mlflow-infra-allow-destroy'), { recursive: true });
            fs.writeFileSync(path.join(applySide.work, '.github/mlflow-infra-allow-destroy/mlflow-staging.txt'), options.allowFile);
          }
          const log = path.join(applySide.root, 'calls');
          for (const tool of ['terraform', 'node']) fs.writeFileSync(path.join(applySide.bin, tool), `#!/bin/sh\nprintf '%s\\n' "${tool} $*" >> "${log}"\n`, { mode: 0o755 });
          const applied = runStep(applyStep.run!, applySide.work, { PATH: `${applySide.bin}:${process.env.PATH}`, ...env(applyStep, options.applyKey) });
          const read = (f: string) => (fs.existsSync(path.join(applySide.work, dir, f)) ? fs.readFileSync(path.join(applySide.work, dir, f)) : undefined);
          return {
            sealed,
            uploaded,
            encrypted: fs.readFileSync(path.join(handoff, 'tfplan.enc')),
            applied,
            calls: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trimEnd().split('\n') : [],
            plan: read('tfplan'),
            record: read('tfplan.review.json')?.toString(),
          };
        } finally {
          planSide.cleanup();
          applySide.cleanup();
        }
      };

      test('the plan travels encrypted and arrives byte for byte next to its review record; init, then apply --plan', () => {
        const r = run({ sealKey: 'k3y', applyKey: 'k3y' });
        expect(r.sealed.code).toBe(0);
        expect(r.uploaded).toEqual(['tfplan.enc', 'tfplan.review.json']);
        expect(r.encrypted!.includes(Buffer.from('hunter2'))).toBe(false);
        expect(r.applied!.code).toBe(0);
        expect(r.plan!.equals(PLAN)).toBe(true);
        expect(r.record).toBe(RECORD);
        expect(r.calls).toEqual(['terraform -chdir=cdktf.out/stacks/mlflow-staging init -input=false -lockfile=readonly', 'node bin/mlflow-infra.js apply mlflow-staging --plan cdktf.out/stacks/mlflow-staging/tfplan']);
      });

      test('the committed allow-list is passed, as the plan step passed it', () => {
        const r = run({ sealKey: 'k', applyKey: 'k', allowFile: 'aws_db_instance.main # engine upgrade\n' });
        expect(r.calls![1]).toBe('node bin/mlflow-infra.js apply mlflow-staging --plan cdktf.out/stacks/mlflow-staging/tfplan --allow-destroy-file .github/mlflow-infra-allow-destroy/mlflow-staging.txt');
      });

      test('without the key secret nothing is uploaded (never the plan in clear)', () => {
        const r = run({});
        expect(r.sealed.code).toBe(1);
        expect(r.sealed.stdout).toContain('::error::the repository secret MLFLOW_PLAN_ARTIFACT_KEY is not set');
        expect(r.uploaded).toEqual([]);
      });

      test('a wrong key fails the job before terraform or mlflow-infra run', () => {
        const r = run({ sealKey: 'right', applyKey: 'wrong' });
        expect(r.applied!.code).not.toBe(0);
        expect(r.calls).toEqual([]);
      });
    });

    test('the arguments the apply step passes are accepted by the real CLI, which applies the reviewed plan (a fake terraform)', async () => {
      const d = tempDir('mlflow-infra-applyargs-');
      try {
        const dir = path.join(d.work, 'cdktf.out/stacks/mlflow-staging');
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'cdk.tf.json'), '{}');
        fs.writeFileSync(path.join(dir, 'tfplan'), 'plan bytes');
        writeReviewRecord({ stack: 'mlflow-staging', mode: 'plan', allowDestroy: [], protectTypes: [], exitCode: 2, planFile: path.join(dir, 'tfplan'), stackFile: path.join(dir, 'cdk.tf.json') });
        const terraform = path.join(d.bin, 'terraform');
        fs.writeFileSync(terraform, `#!/bin/sh\nprintf '%s\\n' "$*" > "${d.root}/tf-args"\n`, { mode: 0o755 });
        const line = applyStep.run!.split('\n').find((l) => l.trim().startsWith('node bin/mlflow-infra.js apply'))!;
        const argv = shellWords(line.trim()).slice(2).map((w) => w.replace('$STACK', 'mlflow-staging').replace('$dir', 'cdktf.out/stacks/mlflow-staging')).filter((w) => w !== '${allow[@]}');
        const io = captureIo({ cwd: d.work, env: { PATH: d.bin } });
        expect(await main(argv, io)).toBe(0);
        expect(fs.readFileSync(path.join(d.root, 'tf-args'), 'utf8')).toBe(`-chdir=cdktf.out/stacks/mlflow-staging apply -input=false ${path.join(dir, 'tfplan')}\n`);
        // The same step with a plan nobody reviewed: refused.
        fs.writeFileSync(path.join(dir, 'tfplan'), 'other bytes');
        expect(await main(argv, captureIo({ cwd: d.work, env: { PATH: d.bin } }))).toBe(3);
      } finally {
        d.cleanup();
      }
    });
  });
});
