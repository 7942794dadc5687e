/**
 * The scripted loop behind `mlflow-infra plan <stack>` and `mlflow-infra drift <stack>`:
 * synth -> terraform init -> terraform plan -out=tfplan (-refresh-only for drift) -> terraform show -json.
 * The process runner is injected, so tests drive it with a terraform test double; the real one
 * streams terraform's own output to stderr (progress), keeps its tail (to recognise known
 * refusals) and captures only `show -json`, as bytes: the plan JSON (sensitive values in clear text)
 * is never written to disk, and never decoded into one string (the review parses the bytes).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnyEnvironmentConfig } from '../config/types';
import type * as Placeholders from '../config/placeholders';
import type * as Overrides from '../config/overrides';
import type * as Environments from '../config/environments';
import { findTerraform } from '../terraform/binary';
import { PlanBytes, ReadBytes } from '../terraform-json/plan-reader';
import { InfraError } from '../errors';

/** A failed step: the message says which and what to do. */
export class LoopError extends InfraError {}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Capture stdout and return it; otherwise stdout is streamed to `progress` like stderr. */
  readonly capture: boolean;
}

/** Captured standard output: the pipe's chunks, one Buffer, or text. */
export type Captured = string | Buffer | readonly Buffer[];

export interface RunResult {
  readonly code: number;
  /**
   * Standard output, when it was captured (empty otherwise). {@link spawnRunner} returns the chunks
   * as they came from the pipe (never joined: see {@link capturedPlanBytes}); a test double may
   * return a string (read as UTF-8) or a Buffer.
   */
  readonly stdout: Captured;
  /** The end (at most {@link OUTPUT_TAIL_CHARS}) of what was streamed to `progress`: stderr and uncaptured stdout. */
  readonly output: string;
}

export interface ProcessRunner {
  run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult>;
}

/** How much streamed output a run keeps for {@link RunResult.output}; Terraform's errors come last. */
export const OUTPUT_TAIL_CHARS = 64 * 1024;

/** Spawns processes; everything not captured goes to `progress` (the CLI's stderr). */
export function spawnRunner(progress: (text: string) => void): ProcessRunner {
  return {
    run: (file, args, options) =>
      new Promise((resolve) => {
        const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
        const out: Buffer[] = [];
        let tail = '';
        const stream = (d: Buffer) => {
          const text = d.toString('utf8');
          progress(text);
          tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
        };
        child.stdout.on('data', (d: Buffer) => (options.capture ? out.push(d) : stream(d)));
        child.stderr.on('data', stream);
        child.on('error', (err: NodeJS.ErrnoException) => {
          progress(`cannot run ${file}: ${err.code === 'ENOENT' ? 'not found' : err.message}\n`);
          resolve({ code: 127, stdout: [], output: tail });
        });
        child.on('close', (code) => resolve({ code: code ?? 1, stdout: out, output: tail }));
      }),
  };
}

export type LoopMode = 'plan' | 'drift';

export interface LoopOptions {
  readonly stack: string;
  readonly mode: LoopMode;
  /** Project root (holds package.json and cdktf.out/). */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Run `npm run -s synth` first. @default true */
  readonly synth?: boolean;
  /**
   * Take the state lock while planning (Terraform's default). `false` passes `-lock=false`: the plan
   * is then for review only (an apply re-reads the state under the lock and plans again).
   * @default true
   */
  readonly lock?: boolean;
  /** Passed as `-lock-timeout=<duration>` (e.g. `5m`): how long to wait for a held lock. */
  readonly lockTimeout?: string;
  readonly runner: ProcessRunner;
  readonly progress: (text: string) => void;
  /**
   * The environments a plan against a real backend is checked against for example values.
   * @default the shipped environments, with the overrides from `env` applied
   */
  readonly configs?: readonly AnyEnvironmentConfig[];
}

/** The Terraform version saved plans with the `cloud` block (HCP Terraform) need. */
export const MIN_CLOUD_SAVED_PLAN_VERSION = [1, 6] as const;

export type BackendKind = 'local' | 's3' | 'cloud' | 'remote' | 'other';

/**
 * The backend a synthesized stack (`cdk.tf.json`) uses. `remote` (the older way to reach HCP
 * Terraform) is its own kind: unlike the `cloud` block it cannot save a plan.
 */
export function backendOf(stackJson: unknown): BackendKind {
  const tf = (stackJson as { terraform?: { cloud?: unknown; backend?: Record<string, unknown> } })?.terraform;
  if (tf?.cloud) return 'cloud';
  const backends = Object.keys(tf?.backend ?? {});
  if (backends.includes('remote')) return 'remote';
  if (backends.length === 0 || backends.includes('local')) return 'local';
  return backends.includes('s3') ? 's3' : 'other';
}

/**
 * Why plan/drift refuse a stack with the `remote` backend, and what to do instead. Saved plans
 * (`plan -out`) came to HCP Terraform with the `cloud` block only (Terraform 1.6); the `remote`
 * backend still rejects `-out` ("Saving a generated plan is currently not supported"), and without
 * a saved plan there is nothing for `show -json` to review.
 */
export function remoteBackendMessage(stack: string): string {
  const stackDir = path.posix.join('cdktf.out', 'stacks', stack);
  return [
    `stack '${stack}' uses the "remote" backend (terraform.backend.remote in ${stackDir}/cdk.tf.json), which cannot save a plan (terraform plan -out), and plan/drift review a saved plan (terraform show -json tfplan); nothing was run.`,
    `  Fix: use a "cloud" block for the same HCP Terraform workspace (saved cloud plans need Terraform >= 1.6): backend { type: 'cloud', organization, workspace } in the environment's config (src/config/environments/<env>.ts), and drop the override that writes terraform.backend.remote; the workspace keeps its state.`,
    '  A speculative `terraform plan` without -out still works with "remote", but it cannot be reviewed: show -json needs a saved plan.',
    '  See docs/terraform-cloud.md, "The remote backend".',
  ].join('\n');
}

/**
 * What HCP Terraform's `cloud` backend prints when `terraform plan -out` targets a workspace that is
 * connected to a VCS repository (hashicorp/terraform internal/cloud/backend_plan.go, opPlan): such a
 * workspace only takes runs HCP Terraform makes from the repository, so no saved plan can be made.
 */
export const VCS_SAVED_PLAN_REFUSAL = 'Saved plans not allowed for workspaces with a VCS connection';

/** The HCP Terraform / Terraform Enterprise host of a stack's `cloud` block (app.terraform.io unless set). */
export function cloudHostOf(stackJson: unknown): string {
  const cloud = (stackJson as { terraform?: { cloud?: { hostname?: unknown } } })?.terraform?.cloud;
  return typeof cloud?.hostname === 'string' && cloud.hostname !== '' ? cloud.hostname : 'app.terraform.io';
}

/**
 * The `TF_TOKEN_<host>` variable Terraform reads the token of `host` from: each `.` becomes `_`
 * and each `-` becomes `__` (Terraform's rule for hosts in variable names), e.g.
 * `tfe.my-corp.example` -> `TF_TOKEN_tfe_my__corp_example`.
 */
export function tokenVariable(host: string): string {
  return `TF_TOKEN_${host.replace(/\./g, '_').replace(/-/g, '__')}`;
}

/**
 * The shell lines that download an HCP Terraform run's JSON plan (admin token; the API answers
 * with a redirect, hence `-L`) and review it. The one wording of these instructions: the
 * VCS-driven refusal prints them, and __tests__/plan-review/workflow.test.ts checks that the CI
 * workflow's comment and docs/terraform-cloud.md show the same lines.
 */
export function runPlanDownload(host: string): [string, string] {
  return [
    `curl -sSfL -H "Authorization: Bearer $${tokenVariable(host)}" -o plan.json https://${host}/api/v2/runs/<run-id>/plan/json-output`,
    'node bin/mlflow-infra.js review-plan plan.json',
  ];
}

/**
 * Why plan/drift cannot run for a stack whose HCP Terraform workspace is VCS-driven, and what works:
 * HCP Terraform makes the runs itself; the JSON plan of one of them can be downloaded with the API
 * (admin on the workspace) and reviewed with `review-plan`.
 */
export function vcsWorkspaceMessage(stack: string, mode: LoopMode, host: string): string {
  return [
    `stack '${stack}': HCP Terraform refused the saved plan ("${VCS_SAVED_PLAN_REFUSAL}"): its workspace is VCS-driven (connected to a repository), so it only runs plans that HCP Terraform starts from the repository, and ${mode} reviews a saved plan (terraform plan -out=tfplan, then terraform show -json tfplan).`,
    `  What works instead: let HCP Terraform make the run (on the pull request or merge${mode === 'drift' ? ', or a refresh-only run started in the UI or API; HCP Terraform\'s drift detection also checks a VCS-driven workspace' : ''}), then download that run's JSON plan with a token that has admin on the workspace and review it:`,
    ...runPlanDownload(host).map((line) => `    ${line}`),
    `  (<run-id> is the run-... id in the run's URL; GET https://${host}/api/v2/plans/<plan-id>/json-output does the same by plan id; piping curl into \`mlflow-infra review-plan -\` keeps the plan off the disk.) plan.json holds sensitive values in clear text: delete it afterwards, never commit or upload it.`,
    '  To plan from the command line instead, use a workspace without a VCS connection (CLI-driven). See docs/terraform-cloud.md, "2. VCS-driven runs".',
  ].join('\n');
}

function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = version.replace(/^v/, '').split('.').map((p) => parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i];
  }
  return true;
}

function listStacks(cwd: string): string[] {
  try {
    return fs.readdirSync(path.join(cwd, 'cdktf.out', 'stacks')).sort();
  } catch {
    return [];
  }
}

/**
 * Captured output as {@link PlanBytes} for `parsePlanBytes`: a reader that copies the chunks into
 * the parser's window as it goes, so the plan is never joined into one more Buffer, let alone
 * decoded into one string (each would cost the plan's size again: `mlflow-infra plan` on a 58 MiB
 * plan peaked at 402 MiB that way). An error is explained by reading them again from the start.
 */
export function capturedPlanBytes(captured: Captured): PlanBytes {
  if (typeof captured === 'string') return Buffer.from(captured, 'utf8');
  if (Buffer.isBuffer(captured)) return captured;
  const chunks = captured;
  const reader = (): ReadBytes => {
    let index = 0;
    let offset = 0;
    return (target, at, length) => {
      let n = 0;
      while (n < length && index < chunks.length) {
        const chunk = chunks[index];
        const k = Math.min(length - n, chunk.length - offset);
        chunk.copy(target, at + n, offset, offset + k);
        n += k;
        offset += k;
        if (offset === chunk.length) {
          index++;
          offset = 0;
        }
      }
      return n;
    };
  };
  return { read: reader(), reread: reader, readAll: () => Buffer.concat(chunks) };
}

/** Captured output as text (small outputs such as `terraform version -json`). */
function capturedText(captured: Captured): string {
  if (typeof captured === 'string') return captured;
  return (Buffer.isBuffer(captured) ? captured : Buffer.concat(captured)).toString('utf8');
}

/**
 * Runs the loop and returns the plan JSON (`terraform show -json tfplan`) as bytes for
 * `parsePlanBytes` (see {@link capturedPlanBytes}). Throws {@link LoopError} naming the failed step.
 */
export async function runTerraformLoop(options: LoopOptions): Promise<PlanBytes> {
  const { stack, mode, cwd, runner, progress } = options;
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || stack.startsWith('.')) {
    throw new LoopError(`stack name '${stack}' is not valid: use the stack's directory name under cdktf.out/stacks (letters, digits, '-', '_', '.')`);
  }
  const terraform = findTerraform(options.env);
  if (!terraform) {
    throw new LoopError(
      options.env.TERRAFORM_BINARY
        ? `TERRAFORM_BINARY=${options.env.TERRAFORM_BINARY} is not an executable file`
        : 'terraform was not found on PATH: install Terraform 1.11.x (https://developer.hashicorp.com/terraform/install) or set TERRAFORM_BINARY to its path',
    );
  }
  const env: NodeJS.ProcessEnv = { ...options.env, TF_IN_AUTOMATION: '1' };
  if (options.synth !== false) {
    progress('==> npm run -s synth\n');
    const synth = await runner.run('npm', ['run', '-s', 'synth'], { cwd, env, capture: false });
    if (synth.code !== 0) throw new LoopError(`synth failed (npm run -s synth exited ${synth.code}); fix the errors above, or pass --no-synth to plan the stacks already in cdktf.out`);
  }
  const stackDir = path.posix.join('cdktf.out', 'stacks', stack);
  const stackFile = path.join(cwd, stackDir, 'cdk.tf.json');
  if (!fs.existsSync(stackFile)) {
    const stacks = listStacks(cwd);
    throw new LoopError(`no synthesized stack '${stack}' (${stackFile} is missing); ${stacks.length > 0 ? `stacks: ${stacks.join(', ')}` : 'run `npm run synth` first'}`);
  }
  let stackJson: unknown;
  try {
    stackJson = JSON.parse(fs.readFileSync(stackFile, 'utf8'));
  } catch (err) {
    throw new LoopError(`${stackDir}/cdk.tf.json is not valid JSON (${(err as Error).message}); run synth again`);
  }
  const backend = backendOf(stackJson);
  const tf = async (args: string[], capture = false) => {
    progress(`==> terraform ${args.join(' ')}\n`);
    return runner.run(terraform, args, { cwd, env, capture });
  };
  if (backend === 'remote') throw new LoopError(remoteBackendMessage(stack));
  // A plan against a real backend is the step before an apply: no example value may reach it. A
  // refresh-only drift run only reads, and a local backend is the offline path; both may proceed.
  if (mode === 'plan' && backend !== 'local') {
    // Loaded here: the config schema (zod) is not needed by review-plan, drift or --help.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { exampleValuesRefusal } = require('../config/placeholders') as typeof Placeholders;
    const configs = options.configs ?? (require('../config/overrides') as typeof Overrides).resolveEnvironments((require('../config/environments') as typeof Environments).environments, options.env).configs;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const refusal = exampleValuesRefusal('plan', stack, stackJson, configs);
    if (refusal) throw new LoopError(refusal);
  }
  const chdir = `-chdir=${stackDir}`;
  if (backend === 'cloud') {
    const v = await tf(['version', '-json'], true);
    let version = '';
    try {
      version = String(JSON.parse(capturedText(v.stdout)).terraform_version ?? '');
    } catch {
      version = '';
    }
    if (!version || !versionAtLeast(version, MIN_CLOUD_SAVED_PLAN_VERSION)) {
      throw new LoopError(
        `stack '${stack}' uses the Terraform Cloud backend, whose saved plans (plan -out) need Terraform >= ${MIN_CLOUD_SAVED_PLAN_VERSION.join('.')}; found ${version || 'an unknown version'}`,
      );
    }
    if (!Object.keys(env).some((k) => k.startsWith('TF_TOKEN_'))) {
      progress('note: no TF_TOKEN_<host> variable is set; terraform uses the credentials from `terraform login` if there are any\n');
    }
  }
  const init = await tf([chdir, 'init', '-input=false']);
  if (init.code !== 0) throw new LoopError(`terraform init failed (exit ${init.code}) in ${stackDir}; see its output above`);
  const plan = await tf([
    chdir,
    'plan',
    '-out=tfplan',
    '-input=false',
    ...(mode === 'drift' ? ['-refresh-only'] : []),
    ...(options.lock === false ? ['-lock=false'] : []),
    ...(options.lockTimeout !== undefined ? [`-lock-timeout=${options.lockTimeout}`] : []),
  ]);
  if (plan.code !== 0) {
    if (plan.output.includes(VCS_SAVED_PLAN_REFUSAL)) throw new LoopError(vcsWorkspaceMessage(stack, mode, cloudHostOf(stackJson)));
    throw new LoopError(`terraform plan failed (exit ${plan.code}) in ${stackDir}; see its output above`);
  }
  const show = await tf([chdir, 'show', '-json', 'tfplan'], true);
  if (show.code !== 0) {
    // HCP Terraform serves the (unredacted) JSON of a saved cloud plan only to workspace admins.
    const hint = backend === 'cloud' ? '; for a Terraform Cloud stack the token needs admin on the workspace (docs/terraform-cloud.md, "Tokens and permissions")' : '';
    throw new LoopError(`terraform show -json tfplan failed (exit ${show.code}) in ${stackDir}; see its output above${hint}`);
  }
  return capturedPlanBytes(show.stdout);
}
