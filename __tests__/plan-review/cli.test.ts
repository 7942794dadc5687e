/**
 * The commands end to end through the dispatcher: review-plan exit codes and formats, and
 * plan/drift against a terraform TEST DOUBLE (a fake `terraform` and `npm` on PATH that record their
 * argv and print fixture JSON for `show -json`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
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
    expect(missing).toEqual({ code: 1, out: '', err: 'mlflow-infra: cannot read does-not-exist.json: no such file\n' });
    const state = await cli(['review-plan', path.join(__dirname, 'fixtures/crafted-aws/terraform.tfstate')]);
    expect(state.code).toBe(1);
    expect(state.err).toMatch(/this is a Terraform state file \(state version 4\), not a plan/);
    expect(state.err).not.toMatch(/\n\s+at /);
    const garbage = await cli(['review-plan', '-'], { readStdin: async () => Buffer.from('{"format_version": "1.2", "resource_changes": [') });
    expect(garbage.code).toBe(1);
    expect(garbage.err).toMatch(/^mlflow-infra: stdin: the JSON ends early/);
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

/** A project dir with cdktf.out/stacks/<stack>, and a bin dir with fake terraform and npm. */
function testDouble(options: { backend?: object; planJson: string; failOn?: string; tfVersion?: string; withTerraform?: boolean }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-loop-'));
  const bin = path.join(root, 'bin');
  const project = path.join(root, 'project');
  fs.mkdirSync(bin);
  fs.mkdirSync(path.join(project, 'cdktf.out', 'stacks', 'mlflow-staging'), { recursive: true });
  fs.writeFileSync(path.join(project, 'cdktf.out', 'stacks', 'mlflow-staging', 'cdk.tf.json'), JSON.stringify({ terraform: options.backend ?? { backend: { s3: { bucket: 'b' } } } }));
  const log = path.join(root, 'calls.log');
  fs.copyFileSync(options.planJson, path.join(root, 'plan.json'));
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

  test('unknown stack lists the synthesized ones', async () => {
    const d = testDouble({ planJson: sharedPlan('02') });
    try {
      const r = await cli(['plan', 'mlflow-prod', '--no-synth'], { cwd: d.project, env: d.env });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/no synthesized stack 'mlflow-prod' \(.*cdk\.tf\.json is missing\); stacks: mlflow-staging/);
    } finally {
      d.cleanup();
    }
  });
});
