/**
 * The commands end to end through the dispatcher: review-plan exit codes and formats, and
 * plan/drift against a terraform TEST DOUBLE (a fake `terraform` and `npm` on PATH that record their
 * argv and print fixture JSON for `show -json`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { goDurationProblem } from '../../src/cli/review-support';
import { backendOf, capturedPlanBytes, tokenVariable } from '../../src/plan-review/loop';
import { PlanInputError } from '../../src/terraform-json/plan-input';
import { parsePlanBytes } from '../../src/terraform-json/plan-reader';
import { generate } from '../../bench/review-plan/generate';
import { captureIo, CRAFTED, sharedPlan, SYNTHETIC } from './helpers';

async function cli(argv: string[], overrides: Parameters<typeof captureIo>[0] = {}) {
  const io = captureIo(overrides);
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('review-plan', () => {
  test('exit 2 for changes, 3 when blocked, 0 with everything allowed and nothing else changing', async () => {
    expect((await cli(['review-plan', sharedPlan('02')])).code).toBe(2);
    const blocked = await cli(['review-plan', CRAFTED]);
    expect(blocked.code).toBe(3);
    expect(blocked.err).toBe('mlflow-infra: blocked: 2 stateful resource(s) would be destroyed or replaced (exit 3)\n');
    const allowed = await cli(['review-plan', CRAFTED, '--allow-destroy', 'aws_db_instance.old', '--allow-destroy', 'aws_s3_bucket.artifacts']);
    expect(allowed.code).toBe(2);
    const empty = path.join(os.tmpdir(), `mlflow-infra-empty-${process.pid}.json`);
    fs.writeFileSync(empty, JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_changes: [] }));
    expect((await cli(['review-plan', empty])).code).toBe(0);
    fs.rmSync(empty);
  });

  test('--protect-type guards more types', async () => {
    expect((await cli(['review-plan', sharedPlan('02'), '--protect-type', 'aws_instance'])).code).toBe(3);
  });

  test('each format, from a file and from stdin', async () => {
    const json = await cli(['review-plan', SYNTHETIC, '--format', 'json', '--allow-destroy', 'aws_rds_cluster.ghost', '--allow-destroy', 'aws_secretsmanager_secret_version.db']);
    expect(JSON.parse(json.out)).toMatchObject({ status: 'changes', exitCode: 2 });
    expect(json.code).toBe(2);
    const md = await cli(['review-plan', '-', '--format', 'markdown', '--title', 'stdin plan'], { readStdin: async () => fs.readFileSync(sharedPlan('02')) });
    expect(md.out.startsWith('### stdin plan\n')).toBe(true);
    const text = await cli(['review-plan', sharedPlan('09')], { isTty: true, env: { NO_COLOR: '1' } });
    expect(text.out).toContain('Plan: 3 to create');
    expect(text.out).not.toContain('\x1b[');
    const colour = await cli(['review-plan', sharedPlan('09')], { isTty: true, env: {} });
    expect(colour.out).toContain('\x1b[');
  });

  test('bad input: clear message, exit 1, nothing on stdout', async () => {
    const missing = await cli(['review-plan', 'does-not-exist.json']);
    expect(missing).toEqual({ code: 1, out: '', err: 'mlflow-infra review-plan: cannot read does-not-exist.json: no such file\n' });
    const state = await cli(['review-plan', path.join(__dirname, 'fixtures/crafted-aws/terraform.tfstate')]);
    expect(state.code).toBe(1);
    expect(state.err).toMatch(/this is a Terraform state file \(state version 4\), not a plan/);
    expect(state.err).not.toMatch(/\n\s+at /);
    const garbage = await cli(['review-plan', '-'], { readStdin: async () => Buffer.from('{"format_version": "1.2", "resource_changes": [') });
    expect(garbage.code).toBe(1);
    expect(garbage.err).toMatch(/^mlflow-infra review-plan: stdin: the JSON ends early/);
  });

  test('review-plan - reads a UTF-16LE plan with a byte-order mark from stdin', async () => {
    const bytes = fs.readFileSync(sharedPlan('09'));
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]); // the fixture really is UTF-16LE with a BOM
    const r = await cli(['review-plan', '-'], { readStdin: async () => bytes });
    expect(r.err).toBe('');
    expect(r.code).toBe(2);
    expect(r.out).toContain('Plan: 3 to create');
  });

  test('usage errors exit 64 with the usage; --help documents the exit codes', async () => {
    expect((await cli(['review-plan'])).code).toBe(64);
    const bad = await cli(['review-plan', 'p.json', '--format', 'yaml']);
    expect(bad.code).toBe(64);
    expect(bad.err).toContain("--format 'yaml' is not one of text, markdown, json");
    const help = await cli(['review-plan', '--help']);
    expect(help.code).toBe(0);
    for (const line of ['0  no changes', '1  error', '2  changes', '3  blocked']) expect(help.out).toContain(line);
  });
});

/** Writes allow-list files (name -> text) into a fresh directory; returns the directory (use it as cwd). */
function allowFiles(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-allow-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Writes one allow-list file into a fresh directory; returns the directory (use it as cwd) and the file's name. */
function allowFile(text: string, name = 'allow-destroy.txt') {
  return { ...allowFiles({ [name]: text }), name };
}

const EXPECTED_FLAG_ADDRESS = 'expected one resource address such as aws_db_instance.main or module.db.aws_s3_bucket.this["a"]';
/** A file line may carry a reason; a flag value may not, so its message does not offer one. */
const EXPECTED_ADDRESS = `${EXPECTED_FLAG_ADDRESS}, optionally followed by "# reason"`;

describe('--allow-destroy-file', () => {
  test('the addresses it lists are allowed: exit 2 instead of 3; comments, blank lines and trailing reasons are ignored', async () => {
    const f = allowFile(
      [
        '# Reviewed replacements for this stack (remove each line once applied).',
        '',
        '   # an indented comment',
        'aws_db_instance.old   # retired: data migrated to aws_db_instance.main (ticket OPS-12)',
        'aws_s3_bucket.artifacts#no space before the reason',
        '',
      ].join('\n'),
    );
    try {
      const r = await cli(['review-plan', CRAFTED, '--allow-destroy-file', f.name], { cwd: f.dir });
      expect(r.code).toBe(2);
      expect(r.err).toBe('');
      expect(r.out).not.toContain('matches no destroy');
      // Reviewers see what was let through, by which line and why, in every format.
      expect(r.out).toContain('ALLOWED: 2 stateful resource(s) destroyed or replaced on purpose');
      expect(r.out).toContain(
        '  ! aws_db_instance.old is destroyed (aws_db_instance), allowed by --allow-destroy-file allow-destroy.txt line 4: retired: data migrated to aws_db_instance.main (ticket OPS-12)',
      );
      expect(r.out).toContain('  ! aws_s3_bucket.artifacts is replaced (aws_s3_bucket), allowed by --allow-destroy-file allow-destroy.txt line 5: no space before the reason');
      const md = await cli(['review-plan', CRAFTED, '--allow-destroy-file', f.name, '--format', 'markdown'], { cwd: f.dir });
      expect(md.out).toContain('#### :unlock: Allowed: stateful resources destroyed or replaced on purpose\n\n- `aws_db_instance.old`: is destroyed (aws_db_instance), allowed by --allow-destroy-file allow-destroy.txt line 4: retired');
      const json = await cli(['review-plan', CRAFTED, '--allow-destroy-file', f.name, '--allow-destroy', 'aws_db_instance.old', '--format', 'json'], { cwd: f.dir });
      expect(JSON.parse(json.out).allowed).toEqual([
        { address: 'aws_db_instance.old', type: 'aws_db_instance', kind: 'delete', deposed: null, origin: '--allow-destroy', reason: null },
        { address: 'aws_s3_bucket.artifacts', type: 'aws_s3_bucket', kind: 'replace', deposed: null, origin: '--allow-destroy-file allow-destroy.txt line 5', reason: 'no space before the reason' },
      ]);
    } finally {
      f.cleanup();
    }
  });

  test('merged with --allow-destroy: each covers one of the two blocked resources; either alone still blocks', async () => {
    const f = allowFile('aws_db_instance.old\n');
    try {
      const both = await cli(['review-plan', CRAFTED, '--allow-destroy-file', f.name, '--allow-destroy', 'aws_s3_bucket.artifacts'], { cwd: f.dir });
      expect(both.code).toBe(2);
      const fileOnly = await cli(['review-plan', CRAFTED, '--allow-destroy-file', f.name, '--format', 'json'], { cwd: f.dir });
      expect(fileOnly.code).toBe(3);
      expect(JSON.parse(fileOnly.out).blocked.map((b: { address: string }) => b.address)).toEqual(['aws_s3_bucket.artifacts']);
    } finally {
      f.cleanup();
    }
  });

  test('an entry that matches nothing is warned about with the file and line; the same address also passed as a flag keeps the flag wording', async () => {
    const f = allowFile(['aws_db_instance.old', 'aws_s3_bucket.artifacts', '# typo below', 'aws_s3_bucket.artifact # reason', 'aws_kms_key.main["a #1"] # a # inside the key'].join('\n'));
    try {
      const r = await cli(['review-plan', CRAFTED, '--allow-destroy-file', f.name, '--format', 'json', '--allow-destroy', 'aws_kms_key.main["a #1"]'], { cwd: f.dir });
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out).warnings).toEqual(
        expect.arrayContaining([
          "--allow-destroy-file allow-destroy.txt line 4: 'aws_s3_bucket.artifact' matches no destroy or replacement of a stateful resource in this plan (typo, or stale after an apply?)",
          `--allow-destroy 'aws_kms_key.main["a #1"]' matches no destroy or replacement of a stateful resource in this plan (typo, or stale after an apply?)`,
        ]),
      );
      expect(JSON.parse(r.out).warnings.filter((w: string) => w.includes('matches no destroy'))).toHaveLength(2);
      const text = await cli(['review-plan', CRAFTED, '--allow-destroy-file', f.name], { cwd: f.dir });
      expect(text.out).toContain("--allow-destroy-file allow-destroy.txt line 4: 'aws_s3_bucket.artifact' matches no destroy");
      expect(text.out).toContain(`--allow-destroy-file allow-destroy.txt line 5: 'aws_kms_key.main["a #1"]' matches no destroy`);
    } finally {
      f.cleanup();
    }
  });

  test('a missing file: exit 1 naming it, nothing on stdout', async () => {
    const r = await cli(['review-plan', CRAFTED, '--allow-destroy-file', '.github/mlflow-infra-allow-destroy/mlflow-staging.txt'], { cwd: os.tmpdir() });
    expect(r).toEqual({ code: 1, out: '', err: 'mlflow-infra review-plan: --allow-destroy-file .github/mlflow-infra-allow-destroy/mlflow-staging.txt: cannot read it: no such file\n' });
  });

  test('invalid lines are reported together with their line numbers: exit 1, nothing reviewed', async () => {
    const f = allowFile(['# ok', 'aws_db_instance.old', 'aws_db_instance', 'aws_s3_bucket.a aws_s3_bucket.b', '', 'data.aws_iam_policy_document.x', 'aws_db_instance.old # again', '--allow-destroy aws_s3_bucket.artifacts'].join('\r\n'));
    try {
      const r = await cli(['review-plan', CRAFTED, '--allow-destroy-file', f.name], { cwd: f.dir });
      const expected = EXPECTED_ADDRESS;
      expect(r).toEqual({
        code: 1,
        out: '',
        err: [
          'mlflow-infra review-plan: --allow-destroy-file allow-destroy.txt: 5 invalid lines:',
          `  line 3: 'aws_db_instance' is not valid: ${expected}`,
          `  line 4: 'aws_s3_bucket.a aws_s3_bucket.b' is not valid: ${expected}`,
          '  line 6: data.aws_iam_policy_document.x is a data source; only managed resources are destroyed',
          '  line 7: aws_db_instance.old is already listed on line 2',
          `  line 8: '--allow-destroy aws_s3_bucket.artifacts' is not valid: ${expected}`,
          '',
        ].join('\n'),
      });
    } finally {
      f.cleanup();
    }
  });

  test('module addresses (and other non-resource addresses) are invalid lines, reported with the rest; a resource inside a module is fine', async () => {
    const f = allowFile(
      [
        'module.db',
        'module.db["eu"] # the whole module',
        'module.net.module.db',
        'data.aws_ami',
        'ephemeral.aws_secret',
        'module.db.aws_db_instance.main # a resource in a module is an address',
        'module.net["eu"].aws_s3_bucket.logs[0]',
      ].join('\n'),
    );
    try {
      const r = await cli(['review-plan', CRAFTED, '--allow-destroy-file', f.name], { cwd: f.dir });
      expect(r).toEqual({
        code: 1,
        out: '',
        err: [
          'mlflow-infra review-plan: --allow-destroy-file allow-destroy.txt: 5 invalid lines:',
          '  line 1: module.db is a module, not a resource: list each stateful resource in it by its own address, e.g. module.db.aws_db_instance.main',
          '  line 2: module.db["eu"] is a module, not a resource: list each stateful resource in it by its own address, e.g. module.db["eu"].aws_db_instance.main',
          '  line 3: module.net.module.db is a module, not a resource: list each stateful resource in it by its own address, e.g. module.net.module.db.aws_db_instance.main',
          `  line 4: 'data.aws_ami' is not valid: ${EXPECTED_ADDRESS}`,
          `  line 5: 'ephemeral.aws_secret' is not valid: ${EXPECTED_ADDRESS}`,
          '',
        ].join('\n'),
      });
    } finally {
      f.cleanup();
    }
  });

  test('repeatable: every file counts (the last one no longer wins), each entry keeps its own file, line and reason', async () => {
    const f = allowFiles({ 'a1.txt': 'aws_db_instance.old # retired (OPS-12)\n', 'a2.txt': '# bucket moved\n\naws_s3_bucket.artifacts # replaced for the new key\n' });
    try {
      const both = await cli(['review-plan', CRAFTED, '--allow-destroy-file', 'a1.txt', '--allow-destroy-file', 'a2.txt', '--format', 'json'], { cwd: f.dir });
      expect(both.code).toBe(2);
      expect(both.err).toBe('');
      expect(JSON.parse(both.out).allowed).toEqual([
        { address: 'aws_db_instance.old', type: 'aws_db_instance', kind: 'delete', deposed: null, origin: '--allow-destroy-file a1.txt line 1', reason: 'retired (OPS-12)' },
        { address: 'aws_s3_bucket.artifacts', type: 'aws_s3_bucket', kind: 'replace', deposed: null, origin: '--allow-destroy-file a2.txt line 3', reason: 'replaced for the new key' },
      ]);
      // Either file alone leaves the other resource blocked, in either order.
      for (const [file, stillBlocked] of [
        ['a1.txt', 'aws_s3_bucket.artifacts'],
        ['a2.txt', 'aws_db_instance.old'],
      ]) {
        const one = await cli(['review-plan', CRAFTED, '--allow-destroy-file', file, '--format', 'json'], { cwd: f.dir });
        expect(one.code).toBe(3);
        expect(JSON.parse(one.out).blocked.map((b: { address: string }) => b.address)).toEqual([stillBlocked]);
      }
      const reversed = await cli(['review-plan', CRAFTED, '--allow-destroy-file', 'a2.txt', '--allow-destroy-file', 'a1.txt'], { cwd: f.dir });
      expect(reversed.code).toBe(2);
      expect(reversed.out).toContain('allowed by --allow-destroy-file a1.txt line 1: retired (OPS-12)');
      expect(reversed.out).toContain('allowed by --allow-destroy-file a2.txt line 3: replaced for the new key');
      // plan and drift take it repeated too.
      const d = testDouble({ planJson: CRAFTED });
      try {
        fs.copyFileSync(path.join(f.dir, 'a1.txt'), path.join(d.project, 'a1.txt'));
        fs.copyFileSync(path.join(f.dir, 'a2.txt'), path.join(d.project, 'a2.txt'));
        const plan = await cli(['plan', 'mlflow-staging', '--no-synth', '--allow-destroy-file', 'a1.txt', '--allow-destroy-file', 'a2.txt'], { cwd: d.project, env: d.env });
        expect(plan.code).toBe(2);
      } finally {
        d.cleanup();
      }
    } finally {
      f.cleanup();
    }
  });

  test('an address listed in two files is an error naming the first; the problems of every file (and unreadable ones) are reported together; a path given twice is read once', async () => {
    const f = allowFiles({ 'a1.txt': 'aws_db_instance.old\naws_s3_bucket.artifacts # first\n', 'a2.txt': 'aws_kms_key.main\naws_s3_bucket.artifacts # again\nmodule.db\n' });
    try {
      const dup = await cli(['review-plan', CRAFTED, '--allow-destroy-file', 'a1.txt', '--allow-destroy-file', 'missing.txt', '--allow-destroy-file', 'a2.txt'], { cwd: f.dir });
      expect(dup).toEqual({
        code: 1,
        out: '',
        err: [
          'mlflow-infra review-plan: --allow-destroy-file missing.txt: cannot read it: no such file',
          'mlflow-infra review-plan: --allow-destroy-file a2.txt: 2 invalid lines:',
          '  line 2: aws_s3_bucket.artifacts is already listed in a1.txt line 2',
          '  line 3: module.db is a module, not a resource: list each stateful resource in it by its own address, e.g. module.db.aws_db_instance.main',
          '',
        ].join('\n'),
      });
      const twice = await cli(['review-plan', CRAFTED, '--allow-destroy-file', 'a1.txt', '--allow-destroy-file', './a1.txt', '--format', 'json'], { cwd: f.dir });
      expect(twice.err).toBe('');
      expect(twice.code).toBe(2);
      expect(JSON.parse(twice.out).allowed.map((a: { origin: string }) => a.origin)).toEqual(['--allow-destroy-file a1.txt line 1', '--allow-destroy-file a1.txt line 2']);
    } finally {
      f.cleanup();
    }
  });

  test('--allow-destroy values are checked the same way (worded for a flag: no "# reason"): a module or invalid address is a usage error (exit 64), all reported', async () => {
    const r = await cli(['review-plan', CRAFTED, '--allow-destroy', 'module.db', '--allow-destroy', 'aws_db_instance.old', '--allow-destroy', 'aws_db_instance', '--format', 'yaml']);
    expect(r.code).toBe(64);
    expect(r.out).toBe('');
    expect(r.err.startsWith(
      [
        "mlflow-infra review-plan: --format 'yaml' is not one of text, markdown, json",
        '--allow-destroy module.db is a module, not a resource: list each stateful resource in it by its own address, e.g. module.db.aws_db_instance.main',
        `--allow-destroy 'aws_db_instance' is not valid: ${EXPECTED_FLAG_ADDRESS}`,
        '',
        'Usage: mlflow-infra review-plan',
      ].join('\n'),
    )).toBe(true);
    expect(r.err.split('\n\nUsage:')[0]).not.toContain('# reason');
  });

  test('--help of review-plan, plan and drift documents the option as repeatable', async () => {
    for (const command of ['review-plan', 'plan', 'drift']) {
      const help = await cli([command, '--help']);
      expect(help.out).toContain('--allow-destroy-file <path>   Also allow the addresses listed in this file (repeatable; the files are\n');
      expect(help.out).toContain('(not a module or a data source)');
    }
  });
});

/**
 * `terraform show -json` of `terraform plan -refresh-only -out=tfplan` (Terraform 1.11, format 1.2)
 * after the database was deleted in the console: nothing is planned (Terraform omits the empty
 * `resource_changes`), `resource_drift` holds the deletion, and the refreshed `prior_state` no longer
 * has the instance while the configuration still declares it.
 */
/** The bucket that is still there: the same object in `planned_values` and the refreshed `prior_state`. */
const ARTIFACTS_BUCKET = {
  address: 'aws_s3_bucket.artifacts',
  mode: 'managed',
  type: 'aws_s3_bucket',
  name: 'artifacts',
  provider_name: 'registry.terraform.io/hashicorp/aws',
  schema_version: 0,
  values: { bucket: 'fraud-scoring-mlflow-staging-artifacts', force_destroy: false, tags: { Stack: 'mlflow-staging' } },
  sensitive_values: { tags: {} },
};

const REFRESH_ONLY_DB_DELETED = {
  format_version: '1.2',
  terraform_version: '1.11.4',
  planned_values: {
    root_module: {
      resources: [
        ARTIFACTS_BUCKET,
      ],
    },
  },
  resource_drift: [
    {
      address: 'aws_db_instance.main',
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'main',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['delete'],
        before: {
          identifier: 'mlflow-staging',
          engine: 'postgres',
          engine_version: '16.4',
          instance_class: 'db.t4g.medium',
          username: 'mlflow',
          password: 'hunter2-refresh-only',
          deletion_protection: false,
          tags: { Stack: 'mlflow-staging' },
        },
        after: null,
        after_unknown: {},
        before_sensitive: { password: true, tags: {} },
        after_sensitive: false,
      },
    },
  ],
  prior_state: {
    format_version: '1.0',
    terraform_version: '1.11.4',
    values: {
      root_module: {
        resources: [
          ARTIFACTS_BUCKET,
        ],
      },
    },
  },
  configuration: {
    provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } },
    root_module: {
      resources: [
        { address: 'aws_db_instance.main', mode: 'managed', type: 'aws_db_instance', name: 'main', provider_config_key: 'aws', schema_version: 2 },
        { address: 'aws_s3_bucket.artifacts', mode: 'managed', type: 'aws_s3_bucket', name: 'artifacts', provider_config_key: 'aws', schema_version: 0 },
      ],
    },
  },
  timestamp: '2025-05-02T09:14:03Z',
  applyable: true,
  complete: true,
  errored: false,
};

/** A project dir with cdktf.out/stacks/<stack>, and a bin dir with fake terraform and npm. */
function testDouble(options: { backend?: object; planJson: string; failOn?: string; tfVersion?: string; withTerraform?: boolean; planStderr?: string }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-loop-'));
  const bin = path.join(root, 'bin');
  const project = path.join(root, 'project');
  fs.mkdirSync(bin);
  fs.mkdirSync(path.join(project, 'cdktf.out', 'stacks', 'mlflow-staging'), { recursive: true });
  fs.writeFileSync(path.join(project, 'cdktf.out', 'stacks', 'mlflow-staging', 'cdk.tf.json'), JSON.stringify({ terraform: options.backend ?? { backend: { s3: { bucket: 'b' } } } }));
  const log = path.join(root, 'calls.log');
  fs.copyFileSync(options.planJson, path.join(root, 'plan.json'));
  if (options.planStderr !== undefined) fs.writeFileSync(path.join(root, 'plan.stderr'), options.planStderr);
  const fake = (name: string, body: string) => {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> "${log}"\n${body}\n`, { mode: 0o755 });
  };
  if (options.withTerraform !== false) {
    fake(
      'terraform',
      [
        `case "$*" in`,
        `  *"show -json tfplan") cat "${path.join(root, 'plan.json')}" ;;`,
        `  "version -json") echo '{"terraform_version":"${options.tfVersion ?? '1.11.4'}"}' ;;`,
        `  *) echo "terraform output for: $*" ;;`,
        `esac`,
        options.failOn ? `case "$*" in *" ${options.failOn} "*) exit 7 ;; esac` : '',
        // Terraform prints its errors to stderr and exits 1.
        options.planStderr !== undefined ? `case "$*" in *" plan "*) cat "${path.join(root, 'plan.stderr')}" >&2; exit 1 ;; esac` : '',
        'exit 0',
      ].join('\n'),
    );
  }
  fake('npm', 'echo synthesized >&2');
  const env = { PATH: `${bin}:/usr/bin:/bin` };
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);
  return { project, env, calls, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

describe('plan and drift with a terraform test double', () => {
  test('plan: synth, init, plan -out, show -json, then the review (S3 backend)', async () => {
    const d = testDouble({ planJson: sharedPlan('02') });
    try {
      const r = await cli(['plan', 'mlflow-staging', '--format', 'json'], { cwd: d.project, env: d.env });
      expect(d.calls()).toEqual([
        'npm run -s synth',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging init -input=false',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging show -json tfplan',
      ]);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out).summary).toMatchObject({ create: 2, update: 1, replace: 1, delete: 1 });
      expect(r.err).toContain('==> terraform -chdir=cdktf.out/stacks/mlflow-staging init -input=false\nterraform output for:');
    } finally {
      d.cleanup();
    }
  });

  test('drift: -refresh-only, --no-synth skips synth, exit 2 on real drift', async () => {
    const d = testDouble({ planJson: SYNTHETIC });
    try {
      const r = await cli(['drift', 'mlflow-staging', '--no-synth', '--allow-destroy', 'aws_rds_cluster.ghost', '--allow-destroy', 'aws_secretsmanager_secret_version.db'], { cwd: d.project, env: d.env });
      expect(d.calls()).toEqual([
        'terraform -chdir=cdktf.out/stacks/mlflow-staging init -input=false',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false -refresh-only',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging show -json tfplan',
      ]);
      expect(r.code).toBe(2);
      expect(r.out).toContain('Plan review (Terraform 1.11.4, plan format 1.2, refresh-only)');
      expect(r.out).toContain('STATEFUL RESOURCE DELETED OUTSIDE TERRAFORM: aws_db_instance.main');
    } finally {
      d.cleanup();
    }
  });

  test('local backend (an explicit local block, and no backend at all): no version check, the same four steps', async () => {
    for (const backend of [{ backend: { local: { path: 'terraform.tfstate' } } }, {}]) {
      const d = testDouble({ planJson: sharedPlan('02'), backend });
      try {
        const r = await cli(['plan', 'mlflow-staging', '--format', 'json'], { cwd: d.project, env: d.env });
        expect(d.calls()).toEqual([
          'npm run -s synth',
          'terraform -chdir=cdktf.out/stacks/mlflow-staging init -input=false',
          'terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false',
          'terraform -chdir=cdktf.out/stacks/mlflow-staging show -json tfplan',
        ]);
        expect(r.code).toBe(2);
        expect(JSON.parse(r.out).summary).toMatchObject({ create: 2, update: 1, replace: 1, delete: 1 });
        expect(r.err).not.toContain('TF_TOKEN');
      } finally {
        d.cleanup();
      }
    }
  });

  test('drift: a refresh-only plan whose only content is a database deleted outside Terraform is exit 2 with a loud STATEFUL warning', async () => {
    const planFile = path.join(os.tmpdir(), `mlflow-infra-refresh-only-${process.pid}.json`);
    fs.writeFileSync(planFile, JSON.stringify(REFRESH_ONLY_DB_DELETED));
    const d = testDouble({ planJson: planFile });
    try {
      for (const variant of ['omitted', 'empty']) {
        if (variant === 'empty') fs.writeFileSync(path.join(d.project, '..', 'plan.json'), JSON.stringify({ ...REFRESH_ONLY_DB_DELETED, resource_changes: [] }));
        const r = await cli(['drift', 'mlflow-staging', '--no-synth'], { cwd: d.project, env: d.env });
        expect(r.code).toBe(2);
        expect(r.out + r.err).toContain('STATEFUL');
        expect(r.out).toContain('STATEFUL RESOURCE DELETED OUTSIDE TERRAFORM: aws_db_instance.main (aws_db_instance)');
        expect(r.out).not.toContain('hunter2-refresh-only'); // the deleted object's password is sensitive
        const json = await cli(['drift', 'mlflow-staging', '--no-synth', '--format', 'json'], { cwd: d.project, env: d.env });
        expect(JSON.parse(json.out)).toMatchObject({ status: 'changes', refreshOnly: true, summary: { drift: 1, driftDelete: 1 } });
      }
      expect(d.calls().filter((c) => c.includes(' plan '))).toEqual(Array(4).fill('terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false -refresh-only'));
    } finally {
      d.cleanup();
      fs.rmSync(planFile);
    }
  });

  test('plan with a missing --allow-destroy-file stops before terraform runs', async () => {
    const d = testDouble({ planJson: sharedPlan('02') });
    try {
      const r = await cli(['plan', 'mlflow-staging', '--allow-destroy-file', 'allow.txt'], { cwd: d.project, env: d.env });
      expect(r).toEqual({ code: 1, out: '', err: 'mlflow-infra plan: --allow-destroy-file allow.txt: cannot read it: no such file\n' });
      expect(d.calls()).toEqual([]);
    } finally {
      d.cleanup();
    }
  });

  test('the guard applies to plan: exit 3', async () => {
    const d = testDouble({ planJson: CRAFTED });
    try {
      expect((await cli(['plan', 'mlflow-staging', '--no-synth'], { cwd: d.project, env: d.env })).code).toBe(3);
    } finally {
      d.cleanup();
    }
  });

  test('Terraform Cloud backend: checks the version (saved cloud plans need >= 1.6) before planning', async () => {
    const cloud = { cloud: { organization: 'fraud-scoring', workspaces: { name: 'mlflow-staging' } } };
    const ok = testDouble({ planJson: sharedPlan('02'), backend: cloud });
    try {
      const r = await cli(['plan', 'mlflow-staging', '--no-synth'], { cwd: ok.project, env: { ...ok.env, TF_TOKEN_app_terraform_io: 'x' } });
      expect(ok.calls()[0]).toBe('terraform version -json');
      expect(ok.calls()).toHaveLength(4);
      expect(r.code).toBe(2);
    } finally {
      ok.cleanup();
    }
    const old = testDouble({ planJson: sharedPlan('02'), backend: cloud, tfVersion: '1.5.7' });
    try {
      const r = await cli(['plan', 'mlflow-staging', '--no-synth'], { cwd: old.project, env: old.env });
      expect(r).toMatchObject({ code: 1, out: '' });
      expect(r.err).toContain("mlflow-infra plan: stack 'mlflow-staging' uses the Terraform Cloud backend, whose saved plans (plan -out) need Terraform >= 1.6; found 1.5.7");
      expect(old.calls()).toEqual(['terraform version -json']);
    } finally {
      old.cleanup();
    }
  });

  test('a "remote" backend is refused before terraform runs (any Terraform version, plan and drift), saying to use a cloud block', async () => {
    const remote = { backend: { remote: { organization: 'fraud-scoring', workspaces: { name: 'mlflow-staging' } } } };
    const expectedErr = (command: string) =>
      [
        `mlflow-infra ${command}: stack 'mlflow-staging' uses the "remote" backend (terraform.backend.remote in cdktf.out/stacks/mlflow-staging/cdk.tf.json), which cannot save a plan (terraform plan -out), and plan/drift review a saved plan (terraform show -json tfplan); nothing was run.`,
        `  Fix: use a "cloud" block for the same HCP Terraform workspace (saved cloud plans need Terraform >= 1.6): backend { type: 'cloud', organization, workspace } in the environment's config (src/config/environments/<env>.ts), and drop the override that writes terraform.backend.remote; the workspace keeps its state.`,
        '  A speculative `terraform plan` without -out still works with "remote", but it cannot be reviewed: show -json needs a saved plan.',
        '  See docs/terraform-cloud.md, "The remote backend".',
        '',
      ].join('\n');
    for (const tfVersion of ['1.11.4', '1.5.7']) {
      const d = testDouble({ planJson: sharedPlan('02'), backend: remote, tfVersion });
      try {
        const plan = await cli(['plan', 'mlflow-staging', '--format', 'json'], { cwd: d.project, env: { ...d.env, TF_TOKEN_app_terraform_io: 'x' } });
        expect(plan).toEqual({ code: 1, out: '', err: `==> npm run -s synth\nsynthesized\n${expectedErr('plan')}` });
        expect(d.calls()).toEqual(['npm run -s synth']); // synth tells which backend the stack has; terraform never runs
        const drift = await cli(['drift', 'mlflow-staging', '--no-synth'], { cwd: d.project, env: d.env });
        expect(drift).toEqual({ code: 1, out: '', err: expectedErr('drift') });
        expect(d.calls()).toEqual(['npm run -s synth']);
      } finally {
        d.cleanup();
      }
    }
  });

  test('the remote backend section the refusal points to exists in docs/terraform-cloud.md', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../docs/terraform-cloud.md'), 'utf8');
    expect(doc).toMatch(/^## The remote backend$/m);
  });

  test('backendOf: remote is its own kind, not cloud; the committed stacks use local, s3 or a cloud block, never remote', () => {
    expect(backendOf({ terraform: { backend: { remote: { organization: 'o' } } } })).toBe('remote');
    expect(backendOf({ terraform: { cloud: { organization: 'o' } } })).toBe('cloud');
    expect(backendOf({ terraform: { backend: { s3: {} } } })).toBe('s3');
    expect(backendOf({ terraform: {} })).toBe('local');
    const stacksDir = path.join(__dirname, '../../cdktf.out/stacks');
    const stacks = fs.readdirSync(stacksDir).sort();
    expect(stacks.length).toBeGreaterThan(0);
    const kinds = stacks.map((stack) => backendOf(JSON.parse(fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8'))));
    for (const kind of kinds) expect(['local', 's3', 'cloud']).toContain(kind);
    expect(kinds).toContain('cloud'); // production goes through HCP Terraform with a cloud block
  });

  test('a failing terraform step stops the loop with exit 1 naming the step', async () => {
    const d = testDouble({ planJson: sharedPlan('02'), failOn: 'plan' });
    try {
      const r = await cli(['plan', 'mlflow-staging', '--no-synth'], { cwd: d.project, env: d.env });
      expect(r.code).toBe(1);
      expect(r.err).toContain('mlflow-infra plan: terraform plan failed (exit 7) in cdktf.out/stacks/mlflow-staging; see its output above');
      expect(d.calls()).toHaveLength(2);
    } finally {
      d.cleanup();
    }
  });

  test('show -json failing for a Terraform Cloud stack says the token needs admin on the workspace; not for S3', async () => {
    const cloud = testDouble({ planJson: sharedPlan('02'), failOn: 'show', backend: { cloud: { organization: 'fraud-scoring', workspaces: { name: 'mlflow-staging' } } } });
    const s3 = testDouble({ planJson: sharedPlan('02'), failOn: 'show' });
    try {
      const r = await cli(['plan', 'mlflow-staging', '--no-synth'], { cwd: cloud.project, env: { ...cloud.env, TF_TOKEN_app_terraform_io: 'x' } });
      expect(r.code).toBe(1);
      expect(r.err).toContain(
        'mlflow-infra plan: terraform show -json tfplan failed (exit 7) in cdktf.out/stacks/mlflow-staging; see its output above; for a Terraform Cloud stack the token needs admin on the workspace (docs/terraform-cloud.md, "Tokens and permissions")\n',
      );
      const other = await cli(['plan', 'mlflow-staging', '--no-synth'], { cwd: s3.project, env: s3.env });
      expect(other.err).toContain('mlflow-infra plan: terraform show -json tfplan failed (exit 7) in cdktf.out/stacks/mlflow-staging; see its output above\n');
    } finally {
      cloud.cleanup();
      s3.cleanup();
    }
  });

  test('terraform missing from PATH: clear message, exit 1, nothing run', async () => {
    const d = testDouble({ planJson: sharedPlan('02'), withTerraform: false });
    try {
      const r = await cli(['plan', 'mlflow-staging'], { cwd: d.project, env: d.env });
      expect(r).toEqual({
        code: 1,
        out: '',
        err: 'mlflow-infra plan: terraform was not found on PATH: install Terraform 1.11.x (https://developer.hashicorp.com/terraform/install) or set TERRAFORM_BINARY to its path\n',
      });
      expect(d.calls()).toEqual([]);
      const viaEnv = await cli(['drift', 'mlflow-staging'], { cwd: d.project, env: { ...d.env, TERRAFORM_BINARY: '/nonexistent/terraform' } });
      expect(viaEnv.err).toBe('mlflow-infra drift: TERRAFORM_BINARY=/nonexistent/terraform is not an executable file\n');
    } finally {
      d.cleanup();
    }
  });

  test('an unknown stack is a usage error before anything runs (no synth, no terraform), listing the stacks', async () => {
    const d = testDouble({ planJson: sharedPlan('02') });
    try {
      const r = await cli(['plan', 'mlflow-prod', '--no-synth'], { cwd: d.project, env: d.env });
      expect(r.code).toBe(64);
      expect(r.err.split('\n')[0]).toBe("mlflow-infra plan: unknown stack 'mlflow-prod'; synthesized stacks: mlflow-staging");
      const withSynth = await cli(['plan', 'mlflow-stagin'], { cwd: d.project, env: d.env });
      expect(withSynth.code).toBe(64);
      expect(withSynth.err.split('\n')[0]).toBe("mlflow-infra plan: unknown stack 'mlflow-stagin' (did you mean mlflow-staging?); stacks: mlflow-staging, mlflow-production, mlflow-apprunner-staging");
      expect(d.calls()).toEqual([]);
    } finally {
      d.cleanup();
    }
  });
});

/** What terraform 1.11 prints (stderr) when `plan -out` targets a VCS-connected HCP Terraform workspace. */
const VCS_REFUSAL_STDERR = [
  '╷',
  '│ Error: Saved plans not allowed for workspaces with a VCS connection',
  '│ ',
  '│ A workspace that is connected to a VCS requires the VCS-driven workflow to',
  '│ ensure that the VCS remains the single source of truth.',
  '╵',
  '',
].join('\n');

describe('the captured plan reaches the parser as bytes (never one string, never on disk)', () => {
  test('plan hands show -json\'s pipe chunks to the parser: no Buffer as large as the plan is decoded or joined, and the review is review-plan\'s', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-bytes-'));
    const file = path.join(dir, 'plan.json');
    generate(file, 400); // several 64 KiB pipe reads
    const size = fs.statSync(file).size;
    const d = testDouble({ planJson: file });
    const decoded: number[] = [];
    const joined: number[] = [];
    const realToString = Buffer.prototype.toString;
    const realConcat = Buffer.concat;
    const toString = jest.spyOn(Buffer.prototype, 'toString').mockImplementation(function (this: Buffer, ...args: unknown[]) {
      const [encoding, start, end] = args as [BufferEncoding | undefined, number | undefined, number | undefined];
      decoded.push(Math.min(end ?? this.length, this.length) - (start ?? 0));
      return realToString.call(this, encoding, start, end);
    });
    const concat = jest.spyOn(Buffer, 'concat').mockImplementation((list: readonly Uint8Array[], totalLength?: number) => {
      const result = realConcat(list, totalLength);
      joined.push(result.length);
      return result;
    });
    let planned: Awaited<ReturnType<typeof cli>>;
    try {
      planned = await cli(['plan', 'mlflow-staging', '--no-synth', '--format', 'json', '--title', 't'], { cwd: d.project, env: d.env });
    } finally {
      toString.mockRestore();
      concat.mockRestore();
    }
    try {
      expect(size).toBeGreaterThan(4 * 65536);
      expect(decoded.length).toBeGreaterThan(0);
      expect(Math.max(...decoded)).toBeLessThan(size / 4);
      expect(joined.filter((n) => n >= size / 4)).toEqual([]);
      const reviewed = await cli(['review-plan', file, '--format', 'json', '--title', 't']);
      expect(planned.code).toBe(reviewed.code);
      expect(planned.out).toBe(reviewed.out);
      expect(fs.readdirSync(path.join(d.project, 'cdktf.out/stacks/mlflow-staging'))).toEqual(['cdk.tf.json']); // nothing written beside the stack
    } finally {
      d.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('capturedPlanBytes reads chunks split anywhere (inside a UTF-8 character too) as the whole Buffer would be read', () => {
    const plan = { ...REFRESH_ONLY_DB_DELETED, planned_values: { root_module: { resources: [{ ...ARTIFACTS_BUCKET, values: { ...ARTIFACTS_BUCKET.values, tags: { Owner: 'équipe données' } } }] } } };
    const bytes = Buffer.from(JSON.stringify(plan), 'utf8');
    const whole = parsePlanBytes(bytes, 'p');
    for (const step of [1, 3, 7, 4096]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += step) chunks.push(bytes.subarray(i, i + step));
      expect(parsePlanBytes(capturedPlanBytes(chunks), 'p', { windowBytes: 16 })).toEqual(whole);
    }
    expect(parsePlanBytes(capturedPlanBytes(bytes.toString('utf8')), 'p')).toEqual(whole); // a test double's string
    expect(parsePlanBytes(capturedPlanBytes(bytes), 'p')).toEqual(whole);
  });

  test('a truncated capture gives the same error as the whole bytes (the chunks are joined only to explain it)', () => {
    const bytes = Buffer.from(JSON.stringify(REFRESH_ONLY_DB_DELETED).slice(0, 500), 'utf8');
    const expected = (() => {
      try {
        parsePlanBytes(bytes, 'p');
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    })();
    expect(expected).toMatch(/^p: /);
    expect(() => parsePlanBytes(capturedPlanBytes([bytes.subarray(0, 200), bytes.subarray(200)]), 'p', { windowBytes: 16 })).toThrow(new PlanInputError(expected));
  });
});

describe('a VCS-driven HCP Terraform workspace (saved plans refused)', () => {
  const cloud = (hostname?: string) => ({ cloud: { organization: 'fraud-scoring', ...(hostname ? { hostname } : {}), workspaces: { name: 'mlflow-staging' } } });
  const expected = (command: 'plan' | 'drift', host: string, token: string) =>
    [
      `mlflow-infra ${command}: stack 'mlflow-staging': HCP Terraform refused the saved plan ("Saved plans not allowed for workspaces with a VCS connection"): its workspace is VCS-driven (connected to a repository), so it only runs plans that HCP Terraform starts from the repository, and ${command} reviews a saved plan (terraform plan -out=tfplan, then terraform show -json tfplan).`,
      `  What works instead: let HCP Terraform make the run (on the pull request or merge${command === 'drift' ? ", or a refresh-only run started in the UI or API; HCP Terraform's drift detection also checks a VCS-driven workspace" : ''}), then download that run's JSON plan with a token that has admin on the workspace and review it:`,
      `    curl -sSfL -H "Authorization: Bearer $${token}" -o plan.json https://${host}/api/v2/runs/<run-id>/plan/json-output`,
      '    node bin/mlflow-infra.js review-plan plan.json',
      `  (<run-id> is the run-... id in the run's URL; GET https://${host}/api/v2/plans/<plan-id>/json-output does the same by plan id; piping curl into \`mlflow-infra review-plan -\` keeps the plan off the disk.) plan.json holds sensitive values in clear text: delete it afterwards, never commit or upload it.`,
      '  To plan from the command line instead, use a workspace without a VCS connection (CLI-driven). See docs/terraform-cloud.md, "2. VCS-driven runs".',
      '',
    ].join('\n');

  test('plan and drift exit 1 with why and what works instead (the API download and review-plan); show -json is never called', async () => {
    const d = testDouble({ planJson: sharedPlan('02'), backend: cloud(), planStderr: VCS_REFUSAL_STDERR });
    try {
      const env = { ...d.env, TF_TOKEN_app_terraform_io: 'x' };
      for (const command of ['plan', 'drift'] as const) {
        const r = await cli([command, 'mlflow-staging', '--no-synth', '--format', 'markdown'], { cwd: d.project, env });
        expect(r.code).toBe(1);
        expect(r.out).toBe('');
        expect(r.err).toContain(VCS_REFUSAL_STDERR); // terraform's own output still streams to stderr
        expect(r.err.endsWith(expected(command, 'app.terraform.io', 'TF_TOKEN_app_terraform_io'))).toBe(true);
        expect(r.err).not.toContain('terraform plan failed');
      }
      expect(d.calls().filter((c) => c.includes('show'))).toEqual([]);
      expect(d.calls().filter((c) => c.includes(' plan '))).toEqual([
        'terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false -refresh-only',
      ]);
    } finally {
      d.cleanup();
    }
  });

  test('a Terraform Enterprise host from the cloud block is used in the API URL and the TF_TOKEN_ variable', async () => {
    const d = testDouble({ planJson: sharedPlan('02'), backend: cloud('tfe.example-corp.com'), planStderr: VCS_REFUSAL_STDERR });
    try {
      const r = await cli(['plan', 'mlflow-staging', '--no-synth'], { cwd: d.project, env: d.env });
      expect(r.code).toBe(1);
      expect(r.err.endsWith(expected('plan', 'tfe.example-corp.com', 'TF_TOKEN_tfe_example__corp_com'))).toBe(true);
    } finally {
      d.cleanup();
    }
  });

  test('any other plan failure keeps the generic message', async () => {
    const d = testDouble({ planJson: sharedPlan('02'), backend: cloud(), planStderr: '│ Error: Insufficient rights to generate a plan\n' });
    try {
      const r = await cli(['plan', 'mlflow-staging', '--no-synth'], { cwd: d.project, env: d.env });
      expect(r.code).toBe(1);
      expect(r.err.endsWith('mlflow-infra plan: terraform plan failed (exit 1) in cdktf.out/stacks/mlflow-staging; see its output above\n')).toBe(true);
    } finally {
      d.cleanup();
    }
  });

  test('docs/terraform-cloud.md has the section the message points to, with the same API download', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../docs/terraform-cloud.md'), 'utf8');
    expect(doc).toMatch(/^## 2\. VCS-driven runs$/m);
    expect(doc).toContain('curl -sSfL -H "Authorization: Bearer $TF_TOKEN_app_terraform_io" -o plan.json https://app.terraform.io/api/v2/runs/<run-id>/plan/json-output');
    expect(doc).toContain('/api/v2/plans/<plan-id>/json-output');
    expect(doc).toContain('Saved plans not allowed for workspaces with a VCS connection');
    expect(doc).not.toContain('by\n  running a CLI-driven speculative plan');
  });
});

describe('state lock options of plan and drift', () => {
  test('--no-lock passes -lock=false and --lock-timeout passes -lock-timeout=<duration> to terraform plan (not to init or show)', async () => {
    const d = testDouble({ planJson: sharedPlan('02') });
    try {
      expect((await cli(['plan', 'mlflow-staging', '--no-synth', '--no-lock'], { cwd: d.project, env: d.env })).code).toBe(2);
      // Parsed (not a usage error); the exit code is the review's business (cli.test's drift tests).
      expect((await cli(['drift', 'mlflow-staging', '--no-synth', '--lock-timeout', '1m30s'], { cwd: d.project, env: d.env })).code).not.toBe(64);
      expect((await cli(['plan', 'mlflow-staging', '--no-synth', '--lock-timeout=5m'], { cwd: d.project, env: d.env })).code).toBe(2);
      expect(d.calls()).toEqual([
        'terraform -chdir=cdktf.out/stacks/mlflow-staging init -input=false',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false -lock=false',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging show -json tfplan',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging init -input=false',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false -refresh-only -lock-timeout=1m30s',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging show -json tfplan',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging init -input=false',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false -lock-timeout=5m',
        'terraform -chdir=cdktf.out/stacks/mlflow-staging show -json tfplan',
      ]);
    } finally {
      d.cleanup();
    }
  });

  test('a bad duration, or --lock-timeout with --no-lock, is a usage error (exit 64, both reported) and nothing runs', async () => {
    const d = testDouble({ planJson: sharedPlan('02') });
    try {
      const bad = await cli(['plan', 'mlflow-staging', '--lock-timeout', '5 minutes', '--no-lock'], { cwd: d.project, env: d.env });
      expect(bad.code).toBe(64);
      expect(bad.out).toBe('');
      expect(bad.err).toContain(
        "--lock-timeout '5 minutes' is not a duration (unknown unit ' minutes'): terraform takes a Go duration, numbers with units ns, us, ms, s, m or h, e.g. 30s, 5m, 1m30s, 1.5h or 0\n--lock-timeout and --no-lock cannot be combined: without the lock there is nothing to wait for",
      );
      for (const value of ['5', 'm', '5M', '1d', '.s', '']) {
        const r = await cli(['drift', 'mlflow-staging', '--lock-timeout', value], { cwd: d.project, env: d.env });
        expect({ value, code: r.code }).toEqual({ value, code: 64 });
      }
      expect(d.calls()).toEqual([]);
    } finally {
      d.cleanup();
    }
  });

  // Go's time.ParseDuration (terraform's -lock-timeout): [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, a bare 0, units
  // ns us µs μs ms s m h, at most 2^63-1 ns (2^63 when negative).
  test.each([
    '0', '+0', '-0', '.5s', '5.s', '+5m', '-5m', '-1.5h', '1h30m', '2h45m30.5s', '300ms', '1us', '1\u00b5s', '1\u03bcs', '10ns',
    '1.0000000000000000000000000001s', '9223372036854775807ns', '-9223372036854775808ns', '2562047h',
  ])('--lock-timeout %j is a Go duration: passed to terraform as it is', (value) => {
    expect(goDurationProblem(value)).toBeUndefined();
  });

  test.each([
    ['', 'no number'],
    ['-', 'no number'],
    ['5', 'a number without a unit'],
    ['00', 'a number without a unit'],
    ['1.5.5s', 'a number without a unit'],
    ['.s', 'a point without digits'],
    ['-.s', 'a point without digits'],
    ['m', "'m' where a number should start"],
    [' 5m', "' ' where a number should start"],
    ['5 m', "unknown unit ' m'"],
    ['5M', "unknown unit 'M'"],
    ['1d', "unknown unit 'd'"],
    ['9223372036854775808ns', 'longer than Go durations go (about 292 years)'],
    ['2562048h', 'longer than Go durations go (about 292 years)'],
    ['99999999999999999999s', 'longer than Go durations go (about 292 years)'],
  ])('--lock-timeout %j is not a Go duration: %s', (value, problem) => {
    expect(goDurationProblem(value)).toBe(problem);
  });

  test('edge cases reach terraform unchanged: 0, .5s, +5m', async () => {
    const d = testDouble({ planJson: sharedPlan('02') });
    try {
      for (const value of ['0', '.5s', '+5m']) expect((await cli(['plan', 'mlflow-staging', '--no-synth', '--lock-timeout', value], { cwd: d.project, env: d.env })).code).toBe(2);
      expect(d.calls().filter((c) => c.includes(' plan '))).toEqual(['0', '.5s', '+5m'].map((v) => `terraform -chdir=cdktf.out/stacks/mlflow-staging plan -out=tfplan -input=false -lock-timeout=${v}`));
    } finally {
      d.cleanup();
    }
  });

  test('--help of plan and drift documents both options and that a plan without the lock is for review only', async () => {
    for (const command of ['plan', 'drift']) {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.out).toContain('  --no-lock                     Plan without the state lock (terraform plan -lock=false)');
      expect(help.out).toContain('is for review\n                                only');
      expect(help.out).toContain('an apply takes the lock, reads the state again and\n                                plans again');
      expect(help.out).toContain('  --lock-timeout <duration>     Wait this long for a held state lock before failing');
      // One wording of --no-synth, with the other loop options (it plans in drift too).
      expect(help.out).toContain('\n  --no-synth                    Skip synth (npm run -s synth): plan the stacks already in cdktf.out.\n');
      expect(help.out.match(/^ {2}--no-synth\b/gm)).toHaveLength(1);
    }
  });

  test("tokenVariable: Terraform's TF_TOKEN_ name for a host ('.' -> '_', '-' -> '__')", () => {
    expect(tokenVariable('app.terraform.io')).toBe('TF_TOKEN_app_terraform_io');
    expect(tokenVariable('tfe.my-corp.example')).toBe('TF_TOKEN_tfe_my__corp_example');
  });
});
