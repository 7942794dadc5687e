/**
 * The cut-over rehearsal (`npm run rehearse -- cutover`): the runbook (migration/README.md) run for
 * real against the emulator, then changes made outside Terraform reviewed by the project's own
 * `drift` and `plan` commands.
 *
 *  1. apply the legacy HCL (`aws-production/terraform`, random_password stood in: legacy.ts);
 *  2. write data: objects in the artifacts bucket (pre-created, as the import definitions adopt it
 *     and the local setup writes to it), and read the DB secret the legacy apply wrote;
 *  3. record identity (ids, DbiResourceId, secret string, object ETags: scripts/rehearsal-aws.py);
 *  4. the runbook's commands through the project CLI: `migrate plan` with the shipped overrides,
 *     `migrate apply`, `migrate verify`;
 *  5. plan the production stack on the migrated state: only the task definition is replaced,
 *     nothing is destroyed, the import definitions are imported, the guard blocks nothing;
 *  6. apply it (the import blocks run for real), require identity kept and a clean re-plan;
 *  7. change things outside Terraform (an SG rule opening 22 to 0.0.0.0/0, a bucket tag, log
 *     retention, bucket versioning, an alarm deleted) and run `mlflow-infra drift` and `mlflow-infra plan` on the
 *     stack: the broadening must lead the review, the rest must be reverted by the plan.
 *
 * The plans of steps 5 and 7 are the review-plan fixtures of __tests__/plan-review/fixtures
 * (`moto_*`): set MLFLOW_INFRA_REHEARSAL_FIXTURES=<dir> to write them there (docs/rehearsal.md).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadImports } from '../config/imports-file';
import { readLegacyDir } from '../migration/legacy-hcl';
import { stateEntries, TerraformState } from '../terraform-json/state';
import { reviewPlan } from '../plan-review/review';
import { Json, OfflineWorkspace, runProcess } from '../terraform';
import { awsCall, Identity, identityDifferences } from './aws';
import { prepareLegacySource, restoreRandomInState } from './legacy';
import { checkReplan, describeReplanEntry, EMULATOR_GAPS } from './replan';
import { importedBuckets, OutcomeBuilder, preconditionsFor, readSynthesizedStack, Scenario } from './scenario';
import { Progress, terraformApply, terraformInit, terraformPlanJson } from './terraform';
import { prepareEmulatorWorkspace, servicesFor } from './workspace';

const STACK = 'mlflow-production';

/** Where the legacy inputs are: the shared checkout next to the repository. */
export const LEGACY_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'legacy', 'aws-production', 'terraform');
/** The team's state as `terraform state pull` prints it: the ids imports/production.json was written against. */
export const LEGACY_STATE_FILE = path.resolve(__dirname, '..', '..', '..', 'shared', 'legacy', 'state', 'production.tfstate');

/** `address -> id` of every managed instance of a state. */
function idsByAddress(state: Json): Map<string, string> {
  return new Map(
    stateEntries(state as TerraformState)
      .filter((e) => e.mode === 'managed' && typeof e.attributes.id === 'string')
      .map((e) => [e.address, e.attributes.id as string]),
  );
}

/**
 * The stack with its import ids written against this legacy state instead of the team's: an id
 * in imports/production.json that names an object of the team's state (the legacy route table in
 * the adopted route's `<route table id>_<CIDR>`) is replaced by the id the same legacy address has
 * in `legacyState`, the emulator's. The team makes the same edit with their own ids (runbook).
 */
export function importsForLegacyState(stackJson: Json, teamState: Json, legacyState: Json): { stack: Json; rewritten: string[] } {
  const team = idsByAddress(teamState);
  const ours = idsByAddress(legacyState);
  const replacements = [...team].filter(([address]) => ours.has(address)).map(([address, id]) => [id, ours.get(address)!] as const);
  const rewritten: string[] = [];
  const stack = structuredClone(stackJson);
  for (const block of (stack.import ?? []) as Json[]) {
    for (const [from, to] of replacements) {
      if (typeof block.id === 'string' && from !== to && block.id.split('_').includes(from)) {
        block.id = block.id.split('_').map((part: string) => (part === from ? to : part)).join('_');
        rewritten.push(`${block.to}: ${from} -> ${to}`);
      }
    }
  }
  return { stack, rewritten };
}

/**
 * The legacy objects whose identity the cut-over must keep, by the names the legacy HCL gives them
 * (variables.tf defaults: project `fraud-scoring`, VPC 10.20.0.0/16 with public /24s at 0-1 and
 * private ones at 10-11).
 */
export const LEGACY_IDENTITY = {
  vpcName: 'fraud-scoring-vpc',
  subnetCidrs: ['10.20.0.0/24', '10.20.1.0/24', '10.20.10.0/24', '10.20.11.0/24'],
  securityGroups: ['fraud-scoring-alb-sg', 'fraud-scoring-ecs-tasks-sg', 'fraud-scoring-rds-sg'],
  loadBalancers: ['fraud-scoring-alb'],
  targetGroups: ['fraud-scoring-mlflow-tg'],
  cluster: 'fraud-scoring-cluster',
  service: 'fraud-scoring-mlflow',
  roles: ['fraud-scoring-ecs-task-execution-role', 'fraud-scoring-ecs-task-role'],
  dbInstance: 'fraud-scoring-mlflow-db',
  secret: 'fraud-scoring/mlflow/db-credentials',
} as const;

/** MLflow-shaped artifacts the local setup wrote before the cut-over (the data that must survive). */
export const SEED_OBJECTS: Readonly<Record<string, string>> = {
  'mlflow-artifacts/1/0f1e2d3c4b5a/artifacts/model/MLmodel': 'artifact_path: model\nflavors:\n  sklearn:\n    sklearn_version: 1.5.2\n',
  'mlflow-artifacts/1/0f1e2d3c4b5a/artifacts/model/model.pkl': 'rehearsal model bytes \u00e9\u00e8\n'.repeat(64),
  'mlflow-artifacts/1/0f1e2d3c4b5a/artifacts/metrics/roc.json': '{"auc": 0.9312}\n',
};

/** The changes made outside Terraform after the cut-over (scripts/rehearsal-aws.py drift). */
export function driftSpec(bucket: string): Json {
  return {
    openPort: { securityGroup: 'fraud-scoring-ecs-tasks-sg', port: 22 },
    bucketTag: { bucket, key: 'ChangedBy', value: 'console' },
    logRetention: { logGroup: '/ecs/fraud-scoring-mlflow', days: 1 },
    suspendVersioning: bucket,
    // Not stateful: the plan creates it again (a real `deleted` drift entry).
    deleteAlarm: 'fraud-scoring-mlflow-ecs-cpu',
  };
}

/** What the first plan of the migrated stack may do (migration/README.md, step 7). */
export function firstPlanProblems(review: ReturnType<typeof reviewPlan>, expectedImports: readonly string[]): string[] {
  const problems: string[] = [];
  const replaced = review.resources.filter((r) => r.kind === 'replace').map((r) => r.address);
  if (replaced.join() !== 'aws_ecs_task_definition.mlflow_task') problems.push(`replaced: ${replaced.join(', ') || '(nothing)'}; expected only aws_ecs_task_definition.mlflow_task (a new revision)`);
  const destroyed = review.resources.filter((r) => r.kind === 'delete').map((r) => r.address);
  if (destroyed.length > 0 || review.terraformCount.destroy !== replaced.length) problems.push(`destroys ${destroyed.join(', ') || `${review.terraformCount.destroy} object(s)`}; expected none besides the replaced task definition revision`);
  const imported = review.resources.filter((r) => r.imported).map((r) => r.address).sort();
  if (imported.join() !== [...expectedImports].sort().join()) problems.push(`imports ${imported.join(', ') || 'nothing'}; expected ${[...expectedImports].sort().join(', ')} (imports/production.json)`);
  for (const b of review.blocked) problems.push(`the plan-review guard blocks it: ${b.message}`);
  return problems;
}

/** What the drift review must show for {@link driftSpec}'s changes. */
export function driftReviewProblems(review: Json, mode: 'drift' | 'plan'): string[] {
  const problems: string[] = [];
  const first = review.driftSecurity?.[0];
  if (!first || first.severity !== 'broadens' || !first.high || !first.address.startsWith('aws_security_group.') || !first.details.some((d: string) => d.includes('tcp/22 from 0.0.0.0/0'))) {
    problems.push(`${mode}: the review's first drift finding is not the security group opened to 0.0.0.0/0 on port 22 (got ${JSON.stringify(first ?? null)})`);
  }
  if (review.exitCode !== 2) problems.push(`${mode}: exit code ${review.exitCode}, expected 2 (changes)`);
  return problems;
}

function readJsonFile(file: string): Json {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** `node bin/mlflow-infra.js <args>` from the repository root; resolves stdout, throws with the output on an unexpected exit code. */
async function cli(root: string, env: NodeJS.ProcessEnv, args: readonly string[], expect: readonly number[], progress: Progress): Promise<{ code: number; stdout: string }> {
  progress(`mlflow-infra ${args.join(' ')}`);
  const r = await runProcess(process.execPath, [path.join(root, 'bin', 'mlflow-infra.js'), ...args], { cwd: root, env });
  if (!expect.includes(r.code)) throw new Error(`mlflow-infra ${args.join(' ')} exited ${r.code} (expected ${expect.join(' or ')}):\n${(r.stderr + r.stdout).trim().split('\n').slice(-30).join('\n')}`);
  return { code: r.code, stdout: r.stdout };
}

/**
 * Runs `mlflow-infra drift|plan mlflow-production --no-synth --format json` on the applied
 * workspace: a project root whose cdktf.out/stacks/mlflow-production is that workspace. Returns the
 * review (JSON) and the plan JSON terraform shows for the plan the command saved (`tfplan`).
 */
async function reviewLoop(mode: 'drift' | 'plan', root: string, ws: OfflineWorkspace, progress: Progress): Promise<{ review: Json; planJson: string }> {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-cutover-loop-'));
  try {
    fs.mkdirSync(path.join(project, 'cdktf.out', 'stacks'), { recursive: true });
    fs.symlinkSync(ws.dir, path.join(project, 'cdktf.out', 'stacks', STACK), 'dir');
    progress(`mlflow-infra ${mode} ${STACK} --no-synth --format json`);
    const r = await runProcess(process.execPath, [path.join(root, 'bin', 'mlflow-infra.js'), mode, STACK, '--no-synth', '--format', 'json'], { cwd: project, env: ws.env });
    if (r.code !== 0 && r.code !== 2 && r.code !== 3) throw new Error(`mlflow-infra ${mode} exited ${r.code}:\n${r.stderr.trim().split('\n').slice(-30).join('\n')}`);
    const show = await ws.run(['show', '-json', '-no-color', 'tfplan']);
    if (show.code !== 0) throw new Error(`terraform show -json tfplan (after mlflow-infra ${mode}) exited ${show.code}: ${show.stderr.trim()}`);
    return { review: JSON.parse(r.stdout), planJson: show.stdout };
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

/** `terraform show -json <planfile>` of a plan terraformPlanJson saved in the workspace. */
async function showPlan(ws: OfflineWorkspace, file: string): Promise<string> {
  const r = await ws.run(['show', '-json', '-no-color', file]);
  if (r.code !== 0) throw new Error(`terraform show -json ${file} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** The fixture files the rehearsal writes (MLFLOW_INFRA_REHEARSAL_FIXTURES), by what they hold. */
export const FIXTURE_FILES = {
  importPlan: 'moto_production_cutover_import_plan.json',
  driftRefreshOnly: 'moto_production_drift_refresh_only.json',
  driftPlan: 'moto_production_drift_plan.json',
} as const;

/** Plan JSON as a fixture: terraform's own bytes (checked to be one JSON document), newline-terminated. */
export function fixtureText(planJson: string): string {
  JSON.parse(planJson);
  return planJson.endsWith('\n') ? planJson : `${planJson}\n`;
}

export interface CutoverOptions {
  /** The legacy HCL. @default LEGACY_DIR */
  readonly legacyDir?: string;
  /** The overrides the runbook ships. @default <root>/migration/production.overrides.json */
  readonly overrides?: string;
}

export function cutover(options: CutoverOptions = {}): Scenario {
  return {
    name: 'cutover',
    description: 'apply the legacy HCL, migrate (plan/apply/verify), plan and apply mlflow-production keeping every identity and byte of data; then drift and plan reviews',
    async run(ctx) {
      const out = new OutcomeBuilder();
      const progress: Progress = (line) => ctx.progress(line);
      const legacyDir = options.legacyDir ?? LEGACY_DIR;
      const overrides = options.overrides ?? path.join(ctx.root, 'migration', 'production.overrides.json');
      const fixturesDir = ctx.env.MLFLOW_INFRA_REHEARSAL_FIXTURES ? path.resolve(ctx.root, ctx.env.MLFLOW_INFRA_REHEARSAL_FIXTURES) : undefined;
      const stackJson = readSynthesizedStack(ctx.outdir, STACK);
      const imports = loadImports('production');
      const bucket = imports.imports.find((i) => i.address.startsWith('aws_s3_bucket.'))?.id;
      if (!bucket) throw new Error('imports/production.json adopts no S3 bucket: the cut-over has no artifacts bucket to keep');
      const server = await ctx.startMoto({ ...preconditionsFor(STACK), buckets: importedBuckets(stackJson), env: ctx.env });
      progress(`emulator on ${server.endpoint}; pre-created ${importedBuckets(stackJson).join(', ')} (adopted by imports/production.json)`);
      const workspaces: OfflineWorkspace[] = [];
      // mkdtemp creates it 0700: the states written there hold the DB password.
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-cutover-'));
      try {
        // 1. The legacy configuration, applied.
        const legacy = prepareLegacySource(legacyDir, path.join(work, 'legacy-src'));
        legacy.notes.forEach((n) => progress(n));
        const legacyTypes = [...new Set((await readLegacyDir(legacyDir)).declarations.map((d) => d.address.replace(/^data\./, '').split('.')[0]))];
        const legacyWs = prepareEmulatorWorkspace({ endpoint: server.endpoint, sourceDir: legacy.dir, services: servicesFor(legacyTypes).services, env: ctx.env });
        workspaces.push(legacyWs);
        await terraformInit(legacyWs, progress);
        const legacyApply = await terraformApply(legacyWs, { progress });
        out.applied += legacyApply.completed;
        if (!legacyApply.ok) {
          out.fail(`legacy apply failed (${legacyApply.completed}/${legacyApply.planned}):\n  ${legacyApply.errors.join('\n  ')}`);
          return out.done();
        }
        out.check(`legacy HCL applied: ${legacyApply.completed} resources`);

        // 2-3. Data, and the identity to keep.
        await awsCall('seed', server.endpoint, { bucket, objects: SEED_OBJECTS }, ctx.env);
        const identitySpec = { ...LEGACY_IDENTITY, bucket };
        const before = await awsCall<Identity>('identity', server.endpoint, identitySpec, ctx.env);
        if (JSON.parse(before.secret.SecretString).password !== legacy.passwords[0]?.value) out.fail('the legacy DB secret does not hold the password the legacy apply was given');
        if (Object.keys(before.objects).length !== Object.keys(SEED_OBJECTS).length) out.fail(`the artifacts bucket lists ${Object.keys(before.objects).length} objects after seeding, expected ${Object.keys(SEED_OBJECTS).length}`);

        // 4. The runbook: migrate plan / apply / verify on the legacy state.
        const legacyState = path.join(work, 'legacy.tfstate');
        const newState = path.join(work, 'new.tfstate');
        const moves = path.join(work, 'production.moves.json');
        fs.writeFileSync(legacyState, JSON.stringify(restoreRandomInState(readJsonFile(path.join(legacyWs.dir, 'terraform.tfstate')), legacy.passwords), null, 2), { mode: 0o600 });
        // As applied, before the migration moves its objects out of it (for the import ids below).
        const legacyApplied = readJsonFile(legacyState);
        const stackArg = path.join(ctx.outdir, 'stacks', STACK);
        await cli(ctx.root, ctx.env, ['migrate', 'plan', '--state', legacyState, '--stack', stackArg, '--legacy-dir', legacyDir, '--overrides', overrides, '--out', moves], [0], progress);
        await cli(ctx.root, ctx.env, ['migrate', 'apply', '--plan', moves, '--from-state', legacyState, '--to-state', newState], [0], progress);
        await cli(ctx.root, ctx.env, ['migrate', 'verify', '--plan', moves, '--from-state', legacyState, '--to-state', newState], [0], progress);
        out.check('runbook: migrate plan (shipped overrides), apply and verify succeeded');

        // 5. The first plan of the migrated stack, its import ids naming this legacy state's objects.
        const adopted = importsForLegacyState(stackJson, readJsonFile(LEGACY_STATE_FILE), legacyApplied);
        adopted.rewritten.forEach((r) => progress(`import id written against the applied legacy state: ${r}`));
        const ws = prepareEmulatorWorkspace({ endpoint: server.endpoint, stackJson: adopted.stack, state: readJsonFile(newState), env: ctx.env });
        workspaces.push(ws);
        await terraformInit(ws, progress);
        const firstPlan = await terraformPlanJson(ws, { progress });
        const firstReview = reviewPlan(firstPlan);
        const planProblems = firstPlanProblems(firstReview, imports.imports.map((i) => i.address));
        if (planProblems.length > 0) {
          out.fail(`first plan of ${STACK} after the migration:\n  ${planProblems.join('\n  ')}`);
          return out.done();
        }
        out.check(`first plan: ${firstReview.summary.import} imported, ${firstReview.summary.create} created, ${firstReview.summary.update} updated in place, only the task definition replaced, nothing destroyed`);
        if (fixturesDir) fs.writeFileSync(path.join(fixturesDir, FIXTURE_FILES.importPlan), fixtureText(await showPlan(ws, 'rehearsal.tfplan')));

        // 6. Apply; identity and data kept; a clean re-plan.
        const applied = await terraformApply(ws, { progress });
        out.applied += applied.completed;
        if (!applied.ok) {
          out.fail(`apply of ${STACK} on the migrated state failed (${applied.completed}/${applied.planned}${applied.errored.length ? `; failed: ${applied.errored.join(', ')}` : ''}):\n  ${applied.errors.join('\n  ')}`);
          return out.done();
        }
        const after = await awsCall<Identity>('identity', server.endpoint, identitySpec, ctx.env);
        const lost = identityDifferences(before, after);
        if (lost.length > 0) out.fail(`identity or data lost in the cut-over:\n  ${lost.join('\n  ')}`);
        else
          out.check(
            `identity kept: VPC, ${Object.keys(after.subnets).length} subnets, ${Object.keys(after.securityGroups).length} security groups, ALB, target group, cluster, service, ${Object.keys(after.roles).length} roles, DbiResourceId, secret string, ${Object.keys(after.objects).length} object ETags`,
          );
        if (after.serviceTaskDefinition === before.serviceTaskDefinition) out.fail('the service still runs the legacy task definition revision');
        const replan = checkReplan(await terraformPlanJson(ws, { progress }), EMULATOR_GAPS);
        for (const e of replan.explained) out.explained.push(describeReplanEntry(e));
        if (!replan.ok) out.fail(`re-plan after the cut-over is not clean:\n  ${[...replan.unexplained.map(describeReplanEntry), ...replan.outputs.map((o) => `output.${o} changes`)].join('\n  ')}`);
        else out.check('re-plan after the cut-over: no changes');

        // 7. Changes outside Terraform, reviewed by the project's drift and plan commands.
        const changed = await awsCall<{ changed: string[] }>('drift', server.endpoint, driftSpec(bucket), ctx.env);
        progress(`changed outside Terraform: ${changed.changed.join('; ')}`);
        for (const mode of ['drift', 'plan'] as const) {
          const { review, planJson } = await reviewLoop(mode, ctx.root, ws, progress);
          const problems = driftReviewProblems(review, mode);
          problems.forEach((p) => out.fail(p));
          if (problems.length === 0) out.check(`mlflow-infra ${mode}: the port-22 opening leads the review (BROADENS, high impact), ${review.drift.length} drift entries`);
          if (fixturesDir) fs.writeFileSync(path.join(fixturesDir, mode === 'drift' ? FIXTURE_FILES.driftRefreshOnly : FIXTURE_FILES.driftPlan), fixtureText(planJson));
        }
        if (fixturesDir) progress(`wrote ${Object.values(FIXTURE_FILES).join(', ')} to ${fixturesDir}`);
      } catch (err) {
        out.fail((err as Error).message);
      } finally {
        for (const ws of workspaces) ws.cleanup();
        fs.rmSync(work, { recursive: true, force: true });
        await server.stop();
        if (out.failures.length > 0 && ctx.env.MLFLOW_INFRA_REHEARSAL_SHOW_EMULATOR_LOG === '1') progress(`emulator log:\n${server.log()}`);
      }
      return out.done();
    },
  };
}
