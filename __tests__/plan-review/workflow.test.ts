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

/** Every `mlflow-infra ...` the workflow runs: `npx mlflow-infra <args>` and npm scripts that run the CLI. */
function mlflowInfraInvocations(): { line: string; argv: string[] }[] {
  const out: { line: string; argv: string[] }[] = [];
  for (const script of runScripts) {
    for (const line of script.split('\n')) {
      const words = shellWords(line.trim());
      const npx = words.indexOf('mlflow-infra');
      if (words[0] === 'npx' && npx > 0) out.push({ line, argv: words.slice(npx + 1) });
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
    expect(invocations.map((i) => i.argv[0]).sort()).toEqual(['check', 'plan', 'validate']);
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

  test('the plan job plans every stack of cdktf.out/manifest.json, on pull requests, after the checks', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.out/manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    const plan = jobs.plan;
    expect(plan.needs).toBe('check');
    expect(plan.if).toMatch(/github\.event_name == 'pull_request'/);
    expect([...(plan.strategy!.matrix!.stack as string[])].sort()).toEqual(Object.keys(manifest.stacks).sort());
    expect(plan.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
    expect(plan.steps.map((s) => s.run?.trim()).includes('npm ci')).toBe(true);
  });

  describe('plan step (run with a fake npx that records its arguments)', () => {
    const step = stepNamed(jobs.plan, /^Plan and review$/);
    const scenario = (options: { exitCode: number; allowFile?: string; stdout?: string }) => {
      const d = tempDir('mlflow-infra-planstep-');
      try {
        const argsFile = path.join(d.root, 'npx-args');
        fs.writeFileSync(
          path.join(d.bin, 'npx'),
          `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${argsFile}"\nprintf '%b' '${options.stdout ?? '### review\\n'}'\nexit ${options.exitCode}\n`,
          { mode: 0o755 },
        );
        const env: Record<string, string> = {
          PATH: `${d.bin}:${process.env.PATH}`,
          GITHUB_OUTPUT: path.join(d.root, 'output'),
          GITHUB_STEP_SUMMARY: path.join(d.root, 'summary'),
        };
        // The step's env, with the matrix expression resolved for one stack.
        for (const [k, v] of Object.entries(step.env ?? {})) env[k] = String(v).replace('${{ matrix.stack }}', 'mlflow-staging').replace('${{ secrets.TF_API_TOKEN }}', 'token');
        if (options.allowFile !== undefined) {
          fs.mkdirSync(path.join(d.work, '.github/mlflow-infra-allow-destroy'), { recursive: true });
          fs.writeFileSync(path.join(d.work, '.github/mlflow-infra-allow-destroy/mlflow-staging.txt'), options.allowFile);
        }
        const r = runStep(step.run!, d.work, env);
        return {
          ...r,
          argv: fs.readFileSync(argsFile, 'utf8').trimEnd().split('\n'),
          output: fs.readFileSync(env.GITHUB_OUTPUT, 'utf8'),
          review: fs.readFileSync(path.join(d.work, 'review.md'), 'utf8'),
          summary: fs.readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'),
        };
      } finally {
        d.cleanup();
      }
    };

    test('runs mlflow-infra plan for the stack (markdown, no synth), without --allow-destroy-file when the stack has no allow-list', () => {
      const r = scenario({ exitCode: 2 });
      expect(r.argv).toEqual(['mlflow-infra', 'plan', 'mlflow-staging', '--no-synth', '--format', 'markdown', '--title', 'mlflow-staging']);
      expect(r.review).toBe('### review\n');
      expect(r.summary).toBe('### review\n');
    });

    test('passes the committed .github/mlflow-infra-allow-destroy/<stack>.txt with --allow-destroy-file when it exists', () => {
      const r = scenario({ exitCode: 2, allowFile: 'aws_db_instance.main # engine upgrade\n' });
      expect(r.argv).toEqual(['mlflow-infra', 'plan', 'mlflow-staging', '--no-synth', '--format', 'markdown', '--title', 'mlflow-staging', '--allow-destroy-file', '.github/mlflow-infra-allow-destroy/mlflow-staging.txt']);
    });

    test.each([0, 1, 2, 3])('exit %i is recorded for the guard, and the step itself succeeds so the comment is posted', (exitCode) => {
      const r = scenario({ exitCode });
      expect(r.code).toBe(0);
      expect(r.output).toBe(`exit-code=${exitCode}\n`);
    });

    test('a failure before any review still leaves a comment body', () => {
      const r = scenario({ exitCode: 1, stdout: '' });
      expect(r.review).toBe('Plan failed before a review was produced; see the job log.\n');
    });

    test('the arguments it passes are accepted by the real CLI (no usage error; the allow-list is read)', async () => {
      const r = scenario({ exitCode: 2, allowFile: 'aws_db_instance.main\n' });
      const d = tempDir('mlflow-infra-planargs-');
      try {
        fs.mkdirSync(path.join(d.work, '.github/mlflow-infra-allow-destroy'), { recursive: true });
        fs.writeFileSync(path.join(d.work, '.github/mlflow-infra-allow-destroy/mlflow-staging.txt'), 'not an address\n');
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

  test('the review is posted as a PR comment (updated in place) even when the plan was blocked', () => {
    const plan = jobs.plan;
    const review = plan.steps.findIndex((s) => s.id === 'review');
    const comment = plan.steps.findIndex((s) => s.uses?.startsWith('actions/github-script@'));
    const guard = plan.steps.findIndex((s) => /guard/i.test(s.name ?? ''));
    expect(review).toBeGreaterThanOrEqual(0);
    expect(comment).toBeGreaterThan(review);
    expect(guard).toBeGreaterThan(comment);
    const step = plan.steps[comment];
    expect(step.if).toBe("always() && steps.review.outcome == 'success'");
    const script = String(step.with!.script);
    expect(script).toContain("fs.readFileSync('review.md', 'utf8')");
    expect(script).toContain('github.rest.issues.createComment');
    expect(script).toContain('github.rest.issues.updateComment');
    expect(script).toContain('.slice(0, 65536)');
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
