/**
 * docs/first-deploy.md: every `mlflow-infra` command it shows names a real command, real options
 * and a real stack; every npm script and build-push option it uses exists. (The plan -> review ->
 * apply loop itself runs with real terraform in __tests__/plan-review/apply.terraform.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commands } from '../../src/cli/commands';
import { environments } from '../../src/config/environments';
import { LOCK_FILE } from '../../src/synth';
import { requireTerraform } from '../../src/terraform';
import { terraformTest } from '../helpers/terraform';

const root = path.resolve(__dirname, '../..');
const guide = fs.readFileSync(path.join(root, 'docs/first-deploy.md'), 'utf8');
const shellLines = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim());
const words = (line: string) => line.split(/\s+/).filter((w) => !/^[A-Z_]+=/.test(w));

test('every mlflow-infra command in the guide exists, with options it takes and a shipped stack', () => {
  const lines = shellLines.filter((l) => / ?node bin\/mlflow-infra\.js /.test(l));
  expect(lines.length).toBeGreaterThanOrEqual(6);
  for (const line of lines) {
    const argv = words(line.slice(line.indexOf('node bin/mlflow-infra.js ') + 'node bin/mlflow-infra.js '.length));
    const command = commands.filter((c) => c.path.every((w, i) => argv[i] === w)).sort((a, b) => b.path.length - a.path.length)[0];
    expect({ line, found: command !== undefined }).toEqual({ line, found: true });
    for (const flag of argv.filter((a) => a.startsWith('--'))) expect({ line, flag, documented: command.usage.includes(flag) }).toEqual({ line, flag, documented: true });
    const stack = argv[command.path.length];
    if (command.path[0] === 'plan' || command.path[0] === 'apply') expect(environments.map((e) => e.stackName)).toContain(stack);
  }
});

test('the apply commands name the plan that plan saves', () => {
  for (const line of shellLines.filter((l) => l.startsWith('node bin/mlflow-infra.js apply '))) {
    const [, stack] = words(line.slice('node bin/mlflow-infra.js '.length));
    expect(line).toContain(`--plan cdktf.out/stacks/${stack}/tfplan`);
  }
});

test('npm scripts and build-push options the guide uses exist', () => {
  const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts;
  for (const m of guide.matchAll(/npm run ([a-z][\w:-]*)/g)) expect(scripts).toHaveProperty(m[1]);
  const help = spawnSync('bash', [path.join(root, 'docker/build-push'), '--help'], { encoding: 'utf8' }).stdout;
  for (const line of shellLines.filter((l) => l.startsWith('docker/build-push'))) {
    for (const flag of words(line).filter((w) => w.startsWith('--'))) expect(help).toContain(flag);
  }
});

describe('"Provider pinning": the guide says what the committed lock files hold, and how to complete them', () => {
  const locks = environments.map((e) => ({ stack: e.stackName, text: fs.readFileSync(path.join(root, 'cdktf.out/stacks', e.stackName, LOCK_FILE), 'utf8') }));
  const PLATFORMS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];

  test('each lock file holds one h1: hash per provider (the linux_amd64 build) and no zh: hashes, as the guide says; it gives the command for every platform', () => {
    for (const { stack, text } of locks) {
      const providers = [...text.matchAll(/^provider "([^"]+)"/gm)].map((m) => m[1]);
      const hashes = [...text.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((m) => m[1]);
      // When the lock files are completed (more hashes), this fails: update the guide with them.
      expect({ stack, kinds: [...new Set(hashes.map((h) => h.split(':')[0]))], perProvider: hashes.length / providers.length }).toEqual({ stack, kinds: ['h1'], perProvider: 1 });
    }
    expect(guide).toContain('Only the `h1:` hash of the `linux_amd64` build is recorded');
    expect(guide).toContain('on a macOS or Windows\n  laptop `terraform init` fails');
    const complete = shellLines.find((l) => l.includes('providers lock') && !l.includes('-fs-mirror'));
    expect(complete).toBeDefined();
    expect(complete!.match(/-platform=(\w+)/g)!.map((p) => p.slice('-platform='.length))).toEqual(PLATFORMS);
    // hashicorp/random is required by a stack but not in the mirror: the guide says it is missing while it is.
    const randomLocked = locks.some(({ text }) => text.includes('provider "registry.terraform.io/hashicorp/random"'));
    expect(guide.includes('`hashicorp/random` is not in the mirror, so it is not in the lock file yet')).toBe(!randomLocked);
  });

  terraformTest('the provider lock test')('the recorded hash is what terraform computes for the linux_amd64 build of the provider mirror (offline `providers lock`)', () => {
    const { terraform, mirror } = requireTerraform();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-lock-'));
    try {
      const version = /version {5}= "([\d.]+)"/.exec(locks[0].text)![1];
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version } } } }));
      const r = spawnSync(terraform, ['providers', 'lock', `-fs-mirror=${mirror}`, '-platform=linux_amd64', 'hashicorp/aws'], { cwd: dir, encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } });
      expect({ code: r.status, err: r.stderr }).toEqual({ code: 0, err: '' });
      const computed = /"(h1:[^"]+)"/.exec(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'))![1];
      for (const { stack, text } of locks) expect({ stack, hash: /"(h1:[^"]+)"/.exec(text)![1] }).toEqual({ stack, hash: computed });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
