/**
 * `mlflow-infra migrate ...`: carry the legacy Terraform state over to the new stacks.
 * Library: src/migration/. Runbook: migration/README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliIo, Command, notOneOf, parseCommandArgs, requireOptions, usageText } from '../command';
import { InfraError, UsageError } from '../../errors';
import { environments } from '../../config/environments';
import { applyPlan } from '../../migration/apply';
import { confirmWithTerraform, ConfirmResult } from '../../migration/confirm';
import { loadImports } from '../../config/imports-file';
import { validateImports } from '../../migration/imports';
import { readLegacyDir } from '../../migration/legacy-hcl';
import { movedBlocks } from '../../migration/moved-blocks';
import { readOverrides } from '../../migration/overrides';
import { MovePlan, MovePlanError, planIsClean, planMigration, validatePlanDocument } from '../../migration/planner';
import { simulate } from '../../migration/simulate';
import { migrateRemote, rollbackCommands } from '../../migration/remote';
import { checkPlanFile } from '../../migration/plan-check';
import { readStackJson, resolveStackFile, StackJson, stackResources } from '../../migration/stack';
import { readState, readStateOrEmpty } from '../../terraform-json/state';
import { verifyMigration } from '../../migration/verify';
import { findProviderMirror, findTerraform, TerraformUnavailableError } from '../../terraform';
import { isFsError, readErrorText } from '../../fs-errors';
import { writePrivateFile } from '../../private-files';

function readPlan(file: string): MovePlan {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MovePlanError(`cannot read move plan ${file}: ${isFsError(err) ? readErrorText(err) : (err as Error).message}`);
  }
  return validatePlanDocument(raw, file);
}

/** The environment for terraform: a relative TERRAFORM_BINARY is made absolute against the CLI's working directory. */
function terraformEnv(io: CliIo): NodeJS.ProcessEnv {
  const binary = io.env.TERRAFORM_BINARY;
  return binary ? { ...io.env, TERRAFORM_BINARY: path.resolve(io.cwd, binary) } : io.env;
}

/** The synthesized stack a plan is checked against: `--stack`, else the plan's stack name under cdktf.out. */
function stackFor(plan: MovePlan, stackArg: string | undefined, io: CliIo): StackJson {
  const { file } = resolveStackFile(stackArg ?? plan.stack, io.cwd);
  return readStackJson(file);
}

/** A plan that may be run (no blockers, nothing unmapped), its stack and the terraform binary to run it with. */
function planToRun(planArg: string, stackArg: string | undefined, io: CliIo): { plan: MovePlan; stack: StackJson; terraform: string } {
  const plan = readPlan(path.resolve(io.cwd, planArg));
  if (!planIsClean(plan)) throw new MovePlanError(`${planArg} has blockers or unmapped instances: resolve them and plan again`);
  const stack = stackFor(plan, stackArg, io);
  const terraform = findTerraform(terraformEnv(io));
  if (!terraform) throw new TerraformUnavailableError('terraform not found (set TERRAFORM_BINARY or put terraform on PATH)');
  return { plan, stack, terraform };
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** Plans and states: 0600 in a directory created 0700, whatever the umask (src/private-files.ts). */
function writePrivateJson(file: string, value: unknown): void {
  writePrivateFile(file, JSON.stringify(value, null, 2) + '\n');
}

function renderSummary(plan: MovePlan, confirm?: ConfirmResult): string {
  const lines: string[] = [`Move plan for ${plan.stack} (legacy state serial ${plan.legacyState.serial}, lineage ${plan.legacyState.lineage})`, ''];
  const width = Math.max(0, ...plan.entries.map((e) => e.source.length));
  for (const e of plan.entries) {
    const detail =
      e.status === 'moved' || e.status === 'kept' ? `${e.target}   [${e.matchedBy}]` : e.status === 'data-source' ? '(data source: not moved)' : e.reason ?? '';
    lines.push(`  ${e.status.toUpperCase().padEnd(11)} ${e.source.padEnd(width)}  ${detail}`);
  }
  if (plan.creations.length > 0) {
    lines.push('', `Created by the stack (${plan.creations.length}):`);
    for (const c of plan.creations) lines.push(`  CREATE${c.imported ? ' (import)' : ''}  ${c.address}`);
  }
  if (plan.risks.length > 0) {
    lines.push('', 'Replacement risks:');
    for (const r of plan.risks) lines.push(`  ${r.severity}: ${r.message}\n    fix: ${r.fix}`);
  }
  if (plan.unchecked.length > 0) lines.push('', 'Force-new arguments not compared (expressions):', ...plan.unchecked.map((u) => `  ${u}`));
  if (confirm) {
    const migrated = confirm.changes.filter((c) => c.migratedFrom);
    lines.push('', `terraform plan -refresh=false against the simulated state: ${migrated.length} migrated resource(s) with changes, ${confirm.changes.length - migrated.length} other change(s)`);
    for (const c of migrated) lines.push(`  ${c.actions.join('+').padEnd(13)} ${c.address}${c.changedAttributes.length ? `: ${c.changedAttributes.join(', ')}` : ''}`);
    for (const p of confirm.problems) lines.push(`  ${p.severity}: ${p.message}`);
  }
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  - ${w}`));
  if (plan.blockers.length > 0) lines.push('', 'BLOCKERS:', ...plan.blockers.map((b) => `  - ${b}`));
  const s = plan.summary;
  lines.push(
    '',
    `${s.moved} moved, ${s.kept} kept, ${s.retired} retired, ${s.unmapped} unmapped, ${s['data-source']} data source(s) skipped, ${s.creations} creation(s); ${s.blockers} blocker(s), ${s.warnings} warning(s)`,
    '',
  );
  return lines.join('\n');
}

/** `--plan`: the move file of every command after `migrate plan`. */
const MOVE_PLAN_OPTION = { type: 'string', value: '<moves.json>', help: 'the move plan that migrate plan wrote' } as const;

/** `--stack` of the commands that check a move file against its stack. */
const PLANNED_STACK_OPTION = { type: 'string', value: '<stack>', help: "the synthesized stack the plan was made against\n(default: the plan's stack under cdktf.out)" } as const;

const PLAN_OPTIONS = {
  state: { type: 'string', value: '<legacy.tfstate>', help: 'the legacy state (only read)' },
  stack: { type: 'string', value: '<stack>', help: 'stack name (cdktf.out/stacks/<stack>/cdk.tf.json), a directory or a JSON file' },
  out: { type: 'string', value: '<moves.json>', help: 'the plan file to write' },
  'legacy-dir': { type: 'string', value: '<dir>', help: 'the legacy .tf files: cross-checks declarations against the state' },
  overrides: { type: 'string', value: '<file>', help: 'JSON { moves, positional, retire } (see migration/README.md)' },
  json: { type: 'boolean', default: false, help: 'print the plan JSON on stdout instead of the summary' },
  'confirm-with-terraform': {
    type: 'boolean',
    default: false,
    help:
      'require the terraform confirmation (default: run it when terraform and\n' +
      'the provider mirror are available): terraform plan -refresh=false of the stack\n' +
      'against the simulated state; a destroy/replace of a migrated resource is a BLOCKER',
  },
  'no-terraform': { type: 'boolean', default: false, help: 'skip the terraform confirmation' },
} as const;

const PLAN_USAGE = usageText({
  synopsis: `Usage: mlflow-infra migrate plan --state <legacy.tfstate> --stack <stack> --out <moves.json>
                                [--legacy-dir <hcl dir>] [--overrides <file>] [--json]
                                [--confirm-with-terraform | --no-terraform]`,
  about: `Lists every legacy resource instance as MOVED (new address), KEPT (same address), RETIRED (leaves
Terraform without being destroyed), UNMAPPED (a human must decide) or a skipped DATA SOURCE, and the
stack's CREATIONS. Matching: overrides file, then same type + identifying attributes (references
resolved through pairs already found; a reference to an object the stack creates differs from any
legacy value), same address, position of count instances. Being the last of its type never pairs:
UNMAPPED (with a suggestion to confirm in the overrides file for types neither stateful nor
network). Every pair is checked for arguments that force replacement: any replacement of a moved
resource is a BLOCKER (with the fix) unless allow-listed (a new task definition revision).`,
  options: PLAN_OPTIONS,
  after: `The plan file is written 0600 (its directory created 0700).
Exit codes: 0 every instance paired by identity or override (or retired), no blocker; 1 unmapped
instances, blockers or invalid input (reasons printed); 64 usage error.`,
});

const planCommand: Command = {
  path: ['migrate', 'plan'],
  summary: 'Plan the move of the legacy state into a stack (moves.json)',
  options: PLAN_OPTIONS,
  usage: PLAN_USAGE,
  run: async (argv, io) => {
    const { values } = parseCommandArgs(argv, PLAN_OPTIONS);
    requireOptions(values, ['state', 'stack', 'out']);
    if (values['confirm-with-terraform'] && values['no-terraform']) throw new UsageError('--confirm-with-terraform and --no-terraform exclude each other');
    const legacy = readState(path.resolve(io.cwd, values.state!));
    const { file, name } = resolveStackFile(values.stack!, io.cwd);
    const stack = readStackJson(file);
    const overrides = values.overrides ? readOverrides(path.resolve(io.cwd, values.overrides)) : undefined;
    const legacyConfig = values['legacy-dir'] ? await readLegacyDir(path.resolve(io.cwd, values['legacy-dir'])) : undefined;
    let plan = planMigration({ legacy, stack, stackName: name, overrides, legacyConfig });

    const env = terraformEnv(io);
    const available = Boolean(findTerraform(env) && findProviderMirror(env));
    let confirm: ConfirmResult | undefined;
    if (values['confirm-with-terraform'] || (!values['no-terraform'] && available)) {
      if (!planIsClean(plan)) io.stderr('mlflow-infra migrate plan: the plan has blockers; confirming with terraform anyway to show their effect\n');
      confirm = await confirmWithTerraform(plan, stack, simulate(plan, legacy).state, (l) => io.stderr(`mlflow-infra migrate plan: ${l}\n`), env);
      const blockers = confirm.problems.filter((p) => p.severity === 'BLOCKER').map((p) => p.message);
      plan = {
        ...plan,
        blockers: [...plan.blockers, ...blockers].sort(),
        warnings: [...plan.warnings, ...confirm.problems.filter((p) => p.severity === 'WARNING').map((p) => p.message)].sort(),
        terraformConfirmation: {
          migratedChanges: confirm.changes
            .filter((c) => c.migratedFrom)
            .map((c) => ({ address: c.address, from: c.migratedFrom, actions: c.actions, changedAttributes: c.changedAttributes, replacePaths: c.replacePaths })),
          creations: confirm.changes.filter((c) => !c.migratedFrom).length,
        },
      };
      plan = { ...plan, summary: { ...plan.summary, blockers: plan.blockers.length, warnings: plan.warnings.length } };
    } else if (!values['no-terraform']) {
      io.stderr('mlflow-infra migrate plan: terraform or the provider mirror is not available: the replacement table was not confirmed with a real plan\n');
    }
    writePrivateJson(path.resolve(io.cwd, values.out!), plan);
    io.stdout(values.json ? JSON.stringify(plan, null, 2) + '\n' : renderSummary(plan, confirm) + `Wrote ${values.out}\n`);
    return planIsClean(plan) ? 0 : 1;
  },
};

const SIMULATE_OPTIONS = {
  plan: MOVE_PLAN_OPTION,
  state: { type: 'string', value: '<legacy.tfstate>', help: 'the legacy state (only read)' },
  out: { type: 'string', value: '<result.tfstate>', help: 'the resulting state to write' },
  json: { type: 'boolean', default: false, help: 'print the serial and the addresses as JSON' },
} as const;

const SIMULATE_USAGE = usageText({
  synopsis: 'Usage: mlflow-infra migrate simulate --plan <moves.json> --state <legacy.tfstate> --out <result.tfstate> [--json]',
  about: `Applies the plan to a copy of the legacy state in pure TypeScript (moves, including count instances
to non-indexed addresses; retired instances removed; serial + 1) and prints the resulting addresses.
The legacy state is only read.`,
  options: SIMULATE_OPTIONS,
  after: 'Exit codes: 0 written; 1 the plan does not fit the state (lineage, missing or occupied addresses); 64 usage error.',
});

const simulateCommand: Command = {
  path: ['migrate', 'simulate'],
  summary: 'Apply a move plan to a copy of the state (no terraform) and list the result',
  options: SIMULATE_OPTIONS,
  usage: SIMULATE_USAGE,
  run: async (argv, io) => {
    const { values } = parseCommandArgs(argv, SIMULATE_OPTIONS);
    requireOptions(values, ['plan', 'state', 'out']);
    const plan = readPlan(path.resolve(io.cwd, values.plan!));
    const result = simulate(plan, readState(path.resolve(io.cwd, values.state!)));
    writePrivateJson(path.resolve(io.cwd, values.out!), result.state);
    const unmapped = plan.entries.filter((e) => e.status === 'unmapped').map((e) => e.source);
    if (unmapped.length > 0) io.stderr(`mlflow-infra migrate simulate: warning: unmapped instances stay at their legacy addresses: ${unmapped.join(', ')}\n`);
    io.stdout(values.json ? JSON.stringify({ serial: result.state.serial, addresses: result.addresses }, null, 2) + '\n' : result.addresses.join('\n') + `\n(${result.addresses.length} instances, serial ${result.state.serial}; written to ${values.out})\n`);
    return 0;
  },
};

/** The options `apply` and `verify` share: a plan, and a from-state with a to-state or --same-state. */
const STATE_PAIR_OPTIONS = {
  plan: MOVE_PLAN_OPTION,
  stack: PLANNED_STACK_OPTION,
  'from-state': { type: 'string', value: '<file>', help: 'the legacy state' },
  'to-state': { type: 'string', value: '<file>', help: "separate states: the new stack's state (created when missing)" },
  'same-state': { type: 'boolean', default: false, help: "one state: the legacy state is also the new stack's" },
} as const;

const APPLY_OPTIONS = {
  ...STATE_PAIR_OPTIONS,
  'dry-run': { type: 'boolean', default: false, help: 'print the equivalent commands (shell-quoted) and change nothing' },
} as const;

const APPLY_USAGE = usageText({
  synopsis: `Usage: mlflow-infra migrate apply --plan <moves.json> --from-state <file> (--to-state <file> | --same-state)
                                 [--stack <stack>] [--dry-run]`,
  about: `Runs the plan on local state files, with the result of these terraform commands:
  --to-state <file>  separate states: terraform state mv -state=<from> -state-out=<to> <src> <dst>
  --same-state       one state: terraform state mv -state=<from> <src> <dst> (kept entries need nothing)
Retired entries: terraform state rm -state=<from> <src>. The states are rewritten once in memory,
each new file is read back with terraform state list (it must list exactly the expected addresses)
and replaces its state atomically (0600), the new stack's state first. Remote backends: migrate remote.

Safety, before the first write: the move file against the stack (--stack, default the plan's stack
under cdktf.out: digest, every target in the stack with the source's type, no duplicate source or
target, statuses that agree with the state, a destination that is empty or partly written by this
plan), then every step against both states (a target held by another object, another lineage, or a
serial that changed since planning unless explained by this plan's finished moves). Any problem:
all are listed, nothing is written. Read-only copies <file>.<time>.pre-migrate.backup are taken
before the first write. <file>.migrate.lock stops concurrent runs. Finished steps are skipped:
rerun the same command after an interruption. Progress "[i/n] ..." on stderr.`,
  options: APPLY_OPTIONS,
  after: `terraform: TERRAFORM_BINARY (relative to the current directory) or the first terraform on PATH.
Exit codes: 0 done (or nothing to do); 1 a terraform command failed, or terraform could not read a
rewritten state (nothing replaced; rerun after fixing); 3 refused before changing any state (the
checks above); 64 usage error.`,
});

function checkStatePair(values: { plan?: string; 'from-state'?: string; 'to-state'?: string; 'same-state'?: boolean }): void {
  requireOptions(values, ['plan', 'from-state']);
  if (values['same-state'] === (values['to-state'] !== undefined)) throw new UsageError('give exactly one of --to-state <file> and --same-state');
}

const applyCommand: Command = {
  path: ['migrate', 'apply'],
  summary: 'Run the move plan with terraform state mv / state rm on local state files',
  options: APPLY_OPTIONS,
  usage: APPLY_USAGE,
  run: async (argv, io) => {
    const { values } = parseCommandArgs(argv, APPLY_OPTIONS);
    checkStatePair(values);
    const { plan, stack, terraform } = planToRun(values.plan!, values.stack, io);
    const result = await applyPlan({
      plan,
      stack,
      fromState: path.resolve(io.cwd, values['from-state']!),
      toState: values['to-state'] ? path.resolve(io.cwd, values['to-state']) : undefined,
      dryRun: values['dry-run']!,
      terraform,
      env: terraformEnv(io),
      progress: (l) => io.stderr(`${l}\n`),
    });
    io.stdout(
      values['dry-run']
        ? `dry run: ${result.steps.length - result.skipped} step(s) would run, ${result.skipped} need nothing; no state was changed\n`
        : `${result.executed} step(s) run, ${result.skipped} skipped; backups: ${result.backups.join(', ') || '(none needed)'}\nNext: mlflow-infra migrate verify --plan ${values.plan} --from-state ${values['from-state']} ${values['to-state'] ? `--to-state ${values['to-state']}` : '--same-state'}\n`,
    );
    return 0;
  },
};

const REMOTE_OPTIONS = {
  plan: MOVE_PLAN_OPTION,
  stack: PLANNED_STACK_OPTION,
  'from-dir': { type: 'string', value: '<dir>', help: 'the legacy terraform directory (its backend holds the legacy state)' },
  'to-dir': { type: 'string', value: '<dir>', help: "the new stack's directory (its backend holds the new state)" },
  'work-dir': {
    type: 'string',
    value: '<dir>',
    help: 'created (mode 700) when missing; must not hold files of an earlier run (they\nmay be the only pre-migration copies): give a new one to run again',
  },
  'dry-run': {
    type: 'boolean',
    default: false,
    help: 'init, pull into <work-dir>/dry-run, print the state mv/rm and push commands;\nnothing is pushed (with a Terraform Cloud block, init may create the workspace)',
  },
  'skip-init': { type: 'boolean', default: false, help: 'the directories are initialised already' },
} as const;

const REMOTE_USAGE = usageText({
  synopsis: `Usage: mlflow-infra migrate remote --plan <moves.json> --from-dir <legacy terraform dir>
                                  --to-dir <new stack dir> --work-dir <dir> [--stack <stack>]
                                  [--dry-run] [--skip-init]`,
  about: `Separate-state migration between two backends (S3, Terraform Cloud, ...) through state pull/push,
around \`migrate apply\` and \`migrate verify\`. Every command is printed; progress "[i/6]" on stderr.
  1. terraform -chdir=<dir> init -input=false -no-color in --from-dir and --to-dir (each with its own backend)
  2. terraform -chdir=<dir> state pull > <work-dir>/{from,to}.pulled.tfstate (read-only pristine
     copies) and working copies <work-dir>/{from,to}.tfstate; a new workspace that pulls nothing
     gets an empty v4 state with a new lineage (said so)
  3. migrate apply on the working copies (refuses a stale plan, locks, backups), then 4. verify
  5. terraform -chdir=<to-dir> state push <work-dir>/to.tfstate (the new stack gains the resources)
  6. terraform -chdir=<from-dir> state push <work-dir>/from.tfstate (the legacy state loses them)
Never -force. Before each push the file's serial is set to the pulled serial + 1, so terraform
refuses the push if anyone wrote that state since the pull; the run then stops, saying what was
pushed, with the exact recovery commands. A side that did not change is not pushed.`,
  options: REMOTE_OPTIONS,
  after: `Rollback (before the new stack is applied): restore the legacy state first, then the new one, each
only after \`terraform -chdir=<dir> state pull\` shows that nothing else changed since this run pushed it:
  terraform -chdir=<from-dir> state push -force <work-dir>/from.pulled.tfstate
  terraform -chdir=<to-dir> state push -force <work-dir>/to.pulled.tfstate
(-force because the backups have lower serials than the pushed states.)

terraform: TERRAFORM_BINARY or the first terraform on PATH, with your CLI config and credentials.
Exit codes: 0 done (or nothing to do); 1 a terraform command failed or a push was refused (what was
pushed and how to recover is printed); 3 the plan was refused before any state changed (stale plan,
occupied target, another lineage; nothing pushed); 64 usage error.`,
});

const remoteCommand: Command = {
  path: ['migrate', 'remote'],
  summary: 'Pull both states, run the move plan on local copies, verify, push both back',
  options: REMOTE_OPTIONS,
  usage: REMOTE_USAGE,
  run: async (argv, io) => {
    const { values } = parseCommandArgs(argv, REMOTE_OPTIONS);
    requireOptions(values, ['plan', 'from-dir', 'to-dir', 'work-dir']);
    const { plan, stack, terraform } = planToRun(values.plan!, values.stack, io);
    const fromDir = path.resolve(io.cwd, values['from-dir']!);
    const toDir = path.resolve(io.cwd, values['to-dir']!);
    const result = await migrateRemote({
      plan,
      stack,
      planFile: values.plan!,
      fromDir,
      toDir,
      workDir: path.resolve(io.cwd, values['work-dir']!),
      dryRun: values['dry-run']!,
      skipInit: values['skip-init']!,
      terraform,
      env: terraformEnv(io),
      progress: (l) => io.stderr(`${l}\n`),
    });
    const todo = result.apply.steps.length - result.apply.skipped;
    if (values['dry-run']) {
      io.stdout(`dry run: ${todo} step(s) would run, ${result.apply.skipped} need nothing; nothing was pushed (pulled copies in ${path.dirname(result.files.from)})\n`);
      return 0;
    }
    const pushed = result.pushed.map((s) => `${s === 'to' ? 'new stack' : 'legacy'} state (serial ${result.states[s].serial}, lineage ${result.states[s].lineage})`);
    io.stdout(
      `${result.apply.executed} step(s) run, ${result.apply.skipped} skipped; pushed: ${pushed.join(', ') || 'nothing (both states unchanged)'}\n` +
        `Backups of the states as pulled: ${result.files.fromPulled}, ${result.files.toPulled}\n` +
        (result.pushed.length > 0 ? `Rollback, before the new stack is applied (check each state with state pull first; see --help):\n${rollbackCommands(terraform, fromDir, toDir, result.files).map((c) => `  ${c}\n`).join('')}` : ''),
    );
    return 0;
  },
};

const VERIFY_OPTIONS = {
  ...STATE_PAIR_OPTIONS,
  json: { type: 'boolean', default: false, help: 'print the result (ok, checked, problems) as JSON' },
} as const;

const VERIFY_USAGE = usageText({
  synopsis: `Usage: mlflow-infra migrate verify --plan <moves.json> --from-state <file> (--to-state <file> | --same-state)
                                  [--stack <stack>] [--json]`,
  about: `Checks the move file as apply does (stack digest, targets in the stack with the source's type, no
duplicates, statuses that agree with the addresses), then reads the final states and proves every
legacy instance of the plan exists exactly once: at its
new address with the id recorded at planning time, or nowhere when retired; lists anything left
behind, missing or duplicated.`,
  options: VERIFY_OPTIONS,
  after: 'Exit codes: 0 verified; 1 problems (listed) or unreadable input; 64 usage error.',
});

const verifyCommand: Command = {
  path: ['migrate', 'verify'],
  summary: 'Prove every legacy instance exists exactly once after the migration',
  options: VERIFY_OPTIONS,
  usage: VERIFY_USAGE,
  run: async (argv, io) => {
    const { values } = parseCommandArgs(argv, VERIFY_OPTIONS);
    checkStatePair(values);
    const plan = readPlan(path.resolve(io.cwd, values.plan!));
    const stack = stackFor(plan, values.stack, io);
    const from = readState(path.resolve(io.cwd, values['from-state']!));
    const to = values['to-state'] ? readStateOrEmpty(path.resolve(io.cwd, values['to-state'])) : undefined;
    const checked = checkPlanFile({ plan, stack, separate: !values['same-state'] });
    const verified = verifyMigration(plan, from, to, !values['same-state']);
    const result = checked.length > 0 ? { ...verified, ok: false, problems: [...checked.map((p) => `move file: ${p}`), ...verified.problems] } : verified;
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n');
    else if (result.ok) io.stdout(`verified: ${result.checked} legacy instance(s) each exist exactly once where the plan says\n`);
    else io.stdout(`NOT verified (${result.problems.length} problem(s)):\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return result.ok ? 0 : 1;
  },
};

const MOVED_OPTIONS = {
  plan: MOVE_PLAN_OPTION,
  stack: { type: 'string', value: '<stack>', help: 'the synthesized stack of the plan: a stack name, a directory or a JSON file' },
  out: { type: 'string', value: '<file>', help: 'where to write the blocks (default: moved.tf.json next to the cdk.tf.json)' },
  stdout: { type: 'boolean', default: false, help: 'print the blocks instead of writing a file' },
} as const;

const MOVED_USAGE = usageText({
  synopsis: 'Usage: mlflow-infra migrate moved-blocks --plan <moves.json> --stack <stack> [--out <file> | --stdout]',
  about: `Same-state mode without running state mv: writes Terraform JSON \`moved\` blocks for moved instances
and \`removed\` blocks (lifecycle { destroy = false }) for retired resources, by default to
cdktf.out/stacks/<stack>/moved.tf.json (next to cdk.tf.json; write it again after every synth).
Checks every target exists in the synthesized stack.`,
  options: MOVED_OPTIONS,
  after: `Exit codes: 0 written; 1 targets missing from the stack, partial retirement of a count resource,
unmapped instances; 64 usage error.`,
});

const movedBlocksCommand: Command = {
  path: ['migrate', 'moved-blocks'],
  summary: 'Emit moved/removed blocks for same-state migrations',
  options: MOVED_OPTIONS,
  usage: MOVED_USAGE,
  run: async (argv, io) => {
    const { values } = parseCommandArgs(argv, MOVED_OPTIONS);
    requireOptions(values, ['plan', 'stack']);
    const plan = readPlan(path.resolve(io.cwd, values.plan!));
    const { file, name } = resolveStackFile(values.stack!, io.cwd);
    if (name !== plan.stack) throw new InfraError(`--stack is ${name} but the plan is for ${plan.stack}`);
    const blocks = movedBlocks(plan, new Set(stackResources(readStackJson(file)).map((r) => r.address)));
    if (values.stdout) {
      io.stdout(JSON.stringify(blocks, null, 2) + '\n');
      return 0;
    }
    const out = values.out ? path.resolve(io.cwd, values.out) : path.join(path.dirname(file), 'moved.tf.json');
    writeJson(out, blocks);
    io.stdout(`wrote ${blocks.moved?.length ?? 0} moved and ${blocks.removed?.length ?? 0} removed block(s) to ${path.relative(io.cwd, out)}\n`);
    return 0;
  },
};

const IMPORTS_OPTIONS = {
  env: { type: 'string', value: '<name>', help: `a shipped environment (${environments.map((e) => e.name).join(', ')})` },
  stack: {
    type: 'string',
    value: '<stack>',
    help:
      'the synthesized stack to check against: a stack name (cdktf.out/stacks/<stack>,\n' +
      'relative to the current directory), a directory or a cdk.tf.json file\n' +
      "(default: the environment's stack, e.g. mlflow-production). A stack that is\n" +
      'not there is an error: run from the project root, after `npm run synth`.',
  },
} as const;

const IMPORTS_USAGE = usageText({
  synopsis: 'Usage: mlflow-infra migrate check-imports --env <name> [--stack <stack>]',
  about: `Validates imports/<name>.json: fields, import ID shape per type (bucket name rules, ARNs, ECR
names, ...), that every address exists in the synthesized stack and that the ID equals the
configured name.`,
  options: IMPORTS_OPTIONS,
  after: `Exit codes: 0 valid; 1 problems (each naming its field) or the stack is missing; 64 usage error
(including an unknown environment).`,
});

const checkImportsCommand: Command = {
  path: ['migrate', 'check-imports'],
  summary: 'Validate the import definitions of an environment',
  options: IMPORTS_OPTIONS,
  usage: IMPORTS_USAGE,
  run: async (argv, io) => {
    const { values } = parseCommandArgs(argv, IMPORTS_OPTIONS);
    requireOptions(values, ['env']);
    const environment = environments.find((e) => e.name === values.env);
    if (!environment) throw new UsageError(notOneOf('--env', values.env!, environments.map((e) => e.name)));
    const defs = loadImports(environment.name);
    const stackFile = resolveStackFile(values.stack ?? environment.stackName, io.cwd).file;
    const problems = validateImports(defs, readStackJson(stackFile));
    if (problems.length > 0) {
      io.stderr(`imports/${values.env}.json: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return 1;
    }
    io.stdout(`imports/${values.env}.json: ${defs.imports.length} import(s) valid against ${path.relative(io.cwd, stackFile)}\n`);
    return 0;
  },
};

export const migrateCommands: Command[] = [planCommand, simulateCommand, applyCommand, remoteCommand, verifyCommand, movedBlocksCommand, checkImportsCommand];
