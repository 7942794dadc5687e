/**
 * Scenarios: named rehearsals the runner can select and run in parallel, each on its own emulator.
 * `stack(name)` applies one synthesized stack, re-plans it and rehearses its destroy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { environments } from '../config/environments';
import { Json, OfflineWorkspace } from '../terraform';
import { reviewPlan } from '../plan-review/review';
import { MotoServer, StartMotoOptions } from './moto';
import { checkReplan, describeReplanEntry, EMULATOR_GAPS, EmulatorGap } from './replan';
import { skipUnemulated } from './skip';
import { Progress, terraformApply, terraformInit, terraformPlanJson } from './terraform';
import { prepareEmulatorWorkspace } from './workspace';

export type ScenarioStatus = 'passed' | 'failed';

/** What a scenario reports; the runner adds its name and time. */
export interface ScenarioOutcome {
  readonly status: ScenarioStatus;
  /** Resource actions applied (creates/updates/imports that completed). */
  readonly applied: number;
  /** Addresses not applied, each with why (e.g. App Runner is not emulated). */
  readonly skipped: readonly { readonly address: string; readonly because: string }[];
  /** What went wrong; non-empty exactly when status is failed. */
  readonly failures: readonly string[];
  /** What was checked and held (one line each), e.g. "re-plan: no changes". */
  readonly checks: readonly string[];
  /** Allow-listed re-plan differences that were accepted. */
  readonly explained: readonly string[];
}

export interface ScenarioContext {
  /** Repository root (cdktf.out/ and scripts/ are resolved from it). */
  readonly root: string;
  /** Synth output directory. @default <root>/cdktf.out */
  readonly outdir: string;
  readonly progress: Progress;
  readonly env: NodeJS.ProcessEnv;
  /** Starts an emulator for this scenario (stopped by the scenario; tests may substitute it). */
  readonly startMoto: (options: StartMotoOptions) => Promise<MotoServer>;
}

export interface Scenario {
  /** Selects it on the command line (`npm run rehearse -- <name>`). */
  readonly name: string;
  readonly description: string;
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
}

/** Builds outcomes step by step; `fail` records a failure and the scenario carries on where it can. */
export class OutcomeBuilder {
  applied = 0;
  readonly skipped: { address: string; because: string }[] = [];
  readonly failures: string[] = [];
  readonly checks: string[] = [];
  readonly explained: string[] = [];

  fail(text: string): void {
    this.failures.push(text);
  }

  check(text: string): void {
    this.checks.push(text);
  }

  done(): ScenarioOutcome {
    return {
      status: this.failures.length === 0 ? 'passed' : 'failed',
      applied: this.applied,
      skipped: this.skipped,
      failures: this.failures,
      checks: this.checks,
      explained: this.explained,
    };
  }
}

/** A synthesized stack's JSON, via the synth manifest. */
export function readSynthesizedStack(outdir: string, stackName: string): Json {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} does not exist: run \`npm run synth\` first`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const entry = manifest.stacks?.[stackName];
  if (!entry) throw new Error(`stack ${stackName} is not in ${manifestFile} (synthesized: ${Object.keys(manifest.stacks ?? {}).sort().join(', ')})`);
  return JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), 'utf8'));
}

/**
 * What must exist before the stack (the emulator pre-creates it): the Route53 zone the environment
 * names, the client security groups its API access allows, and the transit gateways its client
 * routes go through (network.clientRoutes: the client networks' side, defined elsewhere).
 */
export function preconditionsFor(stackName: string): { hostedZones: Record<string, string>; securityGroups: string[]; transitGateways: string[] } {
  const hostedZones: Record<string, string> = {};
  const securityGroups: string[] = [];
  const transitGateways: string[] = [];
  for (const env of environments) {
    if (env.stackName !== stackName) continue;
    const { edge, apiAccess } = env as { edge?: { hostedZoneId?: string; domainName?: string }; apiAccess?: { allowedSecurityGroupIds?: readonly string[] } };
    if (edge?.hostedZoneId && edge.domainName) hostedZones[edge.hostedZoneId] = edge.domainName;
    securityGroups.push(...(apiAccess?.allowedSecurityGroupIds ?? []));
    for (const route of env.network.clientRoutes ?? []) if (route.transitGatewayId) transitGateways.push(route.transitGatewayId);
  }
  return { hostedZones, securityGroups: [...new Set(securityGroups)].sort(), transitGateways: [...new Set(transitGateways)].sort() };
}

/** The import ids of the stack's import blocks into resources of `type` (objects that exist before the stack). */
function importedIds(stackJson: Json, type: string): string[] {
  return ((stackJson.import ?? []) as Json[])
    .filter((i) => String(i.to).startsWith(`${type}.`))
    .map((i) => String(i.id))
    .sort();
}

/** S3 buckets the stack adopts with import blocks (they exist before the stack is applied). */
export function importedBuckets(stackJson: Json): string[] {
  return importedIds(stackJson, 'aws_s3_bucket');
}

/** Routes the stack adopts with import blocks, as `<route table id>_<CIDR>` (production's legacy default route). */
export function importedRoutes(stackJson: Json): string[] {
  return importedIds(stackJson, 'aws_route');
}

/**
 * How a stack's destroy is rehearsed:
 * - `clean`: `terraform destroy` succeeds and leaves an empty state;
 * - `refused`: the destroy plan is blocked by the plan-review guard for every listed type present,
 *   and deleting the database through the API is refused (deletion protection).
 */
export type DestroyExpectation = { readonly kind: 'clean' } | { readonly kind: 'refused'; readonly guardedTypes: readonly string[] };

export interface StackScenarioOptions {
  readonly destroy: DestroyExpectation;
  /** The re-plan allow-list. @default EMULATOR_GAPS */
  readonly gaps?: readonly EmulatorGap[];
  /** A description for `--list`. */
  readonly description?: string;
}

/** terraform state addresses (`state list`). */
async function stateList(ws: OfflineWorkspace): Promise<string[]> {
  const r = await ws.run(['state', 'list']);
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

async function rehearseDestroy(ws: OfflineWorkspace, stackJson: Json, expect: DestroyExpectation, out: OutcomeBuilder, progress: Progress): Promise<void> {
  if (expect.kind === 'clean') {
    // The re-plan just refreshed every object: destroying from that state saves a second refresh.
    const destroyed = await terraformApply(ws, { destroy: true, progress, extraArgs: ['-refresh=false'] });
    if (!destroyed.ok) {
      out.fail(`destroy failed:\n  ${destroyed.errors.join('\n  ')}`);
      return;
    }
    const left = await stateList(ws);
    if (left.length > 0) out.fail(`destroy left ${left.length} object(s) in the state: ${left.slice(0, 5).join(', ')}`);
    else out.check(`destroy: ${destroyed.completed} objects destroyed, state empty`);
    return;
  }
  const plan = await terraformPlanJson(ws, { destroy: true, progress, refresh: false });
  const review = reviewPlan(plan);
  const blockedTypes = new Set(review.blocked.map((b) => b.type));
  const present = expect.guardedTypes.filter((t) => Object.keys(stackJson.resource?.[t] ?? {}).length > 0);
  const unguarded = present.filter((t) => !blockedTypes.has(t));
  if (unguarded.length > 0) out.fail(`destroy plan: the plan-review guard does not block destroying ${unguarded.join(', ')}`);
  else out.check(`destroy plan: the guard blocks ${review.blocked.filter((b) => present.includes(b.type)).map((b) => b.address).join(', ')}`);
  for (const name of Object.keys(stackJson.resource?.aws_db_instance ?? {})) {
    const address = `aws_db_instance.${name}`;
    const r = await terraformApply(ws, { destroy: true, progress, extraArgs: ['-refresh=false', `-target=${address}`] });
    const text = r.errors.join(' ');
    if (r.ok) out.fail(`destroy -target=${address} succeeded: the production database has no deletion protection`);
    else if (!/deletion protection|DeletionProtection|protection enabled/i.test(text)) out.fail(`destroy -target=${address} failed, but not because of deletion protection: ${text}`);
    else out.check(`destroy -target=${address}: refused by the API (deletion protection)`);
  }
}

/**
 * Apply one synthesized stack to its own emulator, require a clean re-plan (allow-listed emulator
 * gaps aside), then rehearse its destroy.
 */
export function stack(stackName: string, options: StackScenarioOptions): Scenario {
  return {
    name: stackName,
    description: options.description ?? `apply ${stackName}, re-plan (no changes), destroy (${options.destroy.kind})`,
    async run(ctx) {
      const out = new OutcomeBuilder();
      const progress: Progress = (line) => ctx.progress(line);
      const synthesized = readSynthesizedStack(ctx.outdir, stackName);
      const skip = skipUnemulated(synthesized);
      out.skipped.push(...skip.skipped);
      if (skip.skipped.length > 0) progress(`leaving out ${skip.skipped.length} resource(s) the emulator cannot create (${skip.skipped.filter((s) => !s.because.startsWith('depends on')).length} App Runner, the rest depend on them)`);
      const server = await ctx.startMoto({ ...preconditionsFor(stackName), buckets: importedBuckets(skip.stack), routes: importedRoutes(skip.stack), env: ctx.env });
      progress(`emulator on ${server.endpoint}`);
      let ws: OfflineWorkspace | undefined;
      try {
        ws = prepareEmulatorWorkspace({ endpoint: server.endpoint, stackJson: skip.stack, env: ctx.env });
        await terraformInit(ws, progress);
        const applied = await terraformApply(ws, { progress });
        out.applied = applied.completed;
        if (!applied.ok) {
          out.fail(`apply failed (${applied.completed}/${applied.planned} done${applied.errored.length ? `; failed: ${applied.errored.join(', ')}` : ''}):\n  ${applied.errors.join('\n  ')}`);
          return out.done();
        }
        out.check(`apply: ${applied.completed} resource actions in ${applied.seconds}s`);
        const replan = checkReplan(await terraformPlanJson(ws, { progress }), options.gaps ?? EMULATOR_GAPS);
        for (const e of replan.explained) out.explained.push(describeReplanEntry(e));
        if (!replan.ok) {
          out.fail(
            `re-plan after apply is not clean:\n  ${[...replan.unexplained.map(describeReplanEntry), ...replan.outputs.map((o) => `output.${o} changes`)].join('\n  ')}`,
          );
        } else out.check(replan.explained.length === 0 ? 're-plan: no changes' : `re-plan: no changes but ${replan.explained.length} allow-listed emulator gap(s)`);
        await rehearseDestroy(ws, skip.stack, options.destroy, out, progress);
      } catch (err) {
        out.fail((err as Error).message);
      } finally {
        ws?.cleanup();
        await server.stop();
        if (out.failures.length > 0 && ctx.env.MLFLOW_INFRA_REHEARSAL_SHOW_EMULATOR_LOG === '1') progress(`emulator log:\n${server.log()}`);
      }
      return out.done();
    },
  };
}
