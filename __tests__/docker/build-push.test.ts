/**
 * docker/build-push against fake `docker`, `aws`, `git` and `terraform` executables first on PATH.
 * The script is copied (with the Dockerfile) into a temporary repository so that its outputs
 * (docker/.image-digests/) land there, not in this checkout.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { envKey } from '../../src/config/overrides';

const ROOT = path.resolve(__dirname, '../..');
const BASE_DIGEST = `sha256:${'a'.repeat(64)}`;
const PUSHED_DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const SHA = '0123456789ab';
const REPO_URL = '123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-scoring/mlflow';
const PYTHON_TAG = /^ARG PYTHON_IMAGE_TAG=(\S+)$/m.exec(fs.readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8'))![1];

/** One recorded call: program name then its arguments. */
type Call = string[];

let tmp: string;
let repo: string;
let bin: string;
let callLog: string;

/** A fake tool: records argv (tab-separated) and stdin for docker login, answers what build-push asks. */
const FAKES: Record<string, string> = {
  git: `
case "$1" in
  rev-parse) echo "\${FAKE_GIT_SHA:-${SHA}}" ;;
  status) printf '%s' "\${FAKE_GIT_STATUS:-}" ;;
  *) exit 9 ;;
esac`,
  terraform: `
[ "$2 $3 $4" = "output -raw ecr_repository_url" ] || exit 9
printf '%s' "\${FAKE_REPO_URL:-${REPO_URL}}"`,
  aws: `
[ "$1 $2" = "ecr get-login-password" ] || exit 9
echo fake-ecr-token`,
  docker: `
case "$1 $2" in
  "buildx imagetools") echo '"${BASE_DIGEST}"' ;;
  "login --username") cat > "$FAKE_DIR/login-stdin" ;;
  "buildx build")
    prev=""
    for a in "$@"; do
      if [ "$prev" = "--metadata-file" ] && [ -z "\${FAKE_NO_DIGEST:-}" ]; then
        printf '{"containerimage.digest": "%s"}' "${PUSHED_DIGEST}" > "$a"
      fi
      prev="$a"
    done
    echo "build output on stdout"
    ;;
  "run --rm") ;;
  *) exit 9 ;;
esac`,
};

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'build-push-'));
  repo = path.join(tmp, 'repo');
  bin = path.join(tmp, 'bin');
  callLog = path.join(tmp, 'calls.log');
  fs.mkdirSync(path.join(repo, 'docker'), { recursive: true });
  for (const f of ['build-push', 'Dockerfile']) fs.copyFileSync(path.join(ROOT, 'docker', f), path.join(repo, 'docker', f));
  fs.chmodSync(path.join(repo, 'docker/build-push'), 0o755);
  fs.mkdirSync(bin);
  for (const [name, body] of Object.entries(FAKES)) {
    const record = `{ printf '%s' ${name}; for a in "$@"; do printf '\\t%s' "$a"; done; printf '\\n'; } >> "$FAKE_DIR/calls.log"`;
    fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\n${record}\n${body}\n`, { mode: 0o755 });
  }
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function synthStack(stack: string, cpuArchitecture: string | undefined): void {
  const dir = path.join(repo, 'cdktf.out/stacks', stack);
  fs.mkdirSync(dir, { recursive: true });
  const taskDefinition: Record<string, unknown> = { family: 'fraud-scoring-mlflow' };
  if (cpuArchitecture) taskDefinition.runtime_platform = { cpu_architecture: cpuArchitecture, operating_system_family: 'LINUX' };
  fs.writeFileSync(
    path.join(dir, 'cdk.tf.json'),
    JSON.stringify({ resource: { aws_ecs_task_definition: { mlflow: taskDefinition }, aws_ecr_repository: { ecr: {} } } }),
  );
}

function buildPush(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(path.join(repo, 'docker/build-push'), args, {
    cwd: tmp,
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: tmp, FAKE_DIR: tmp, ...env },
    encoding: 'utf8',
  });
  const calls: Call[] = fs.existsSync(callLog)
    ? fs.readFileSync(callLog, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('\t'))
    : [];
  /** The `+ cmd` lines build-push printed (every command, run or not). */
  const shown = res.stderr.split('\n').filter((l) => l.startsWith('+ ')).map((l) => l.slice(2));
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, calls, shown };
}

function buildCommand(platform: string, tag: string): string {
  return [
    'docker buildx build',
    `--platform ${platform}`,
    `--build-arg PYTHON_IMAGE_TAG=${PYTHON_TAG}@${BASE_DIGEST}`,
    '--build-arg MLFLOW_VERSION=2.18.0',
    `--label org.opencontainers.image.revision=${SHA}`,
    `--label org.opencontainers.image.base.name=python:${PYTHON_TAG}@${BASE_DIGEST}`,
    '--provenance=false --sbom=false',
    `--tag ${REPO_URL}:${tag}`,
    '--metadata-file TMPFILE',
    '--push',
    path.join(repo, 'docker'),
  ].join(' ');
}

const normalise = (line: string) => line.replace(/--metadata-file \S+/, '--metadata-file TMPFILE');

describe('--dry-run', () => {
  test('prints every command; runs only git, terraform output and the base-image lookup', () => {
    synthStack('mlflow-production', 'ARM64');
    const r = buildPush(['--stack', 'mlflow-production', '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.shown.map(normalise)).toEqual([
      `git rev-parse --short=12 HEAD`,
      `git status --porcelain --untracked-files=normal`,
      `terraform -chdir=${path.join(repo, 'cdktf.out/stacks/mlflow-production')} output -raw ecr_repository_url`,
      `docker buildx imagetools inspect python:${PYTHON_TAG} --format \\{\\{json\\ .Manifest.Digest\\}\\}`,
      'aws ecr get-login-password --region us-east-1',
      'docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com',
      buildCommand('linux/arm64', SHA),
    ]);
    expect(r.calls.map((c) => c.slice(0, 2).join(' '))).toEqual([
      'git rev-parse',
      'git status',
      `terraform -chdir=${path.join(repo, 'cdktf.out/stacks/mlflow-production')}`,
      'docker buildx',
    ]);
    expect(r.stderr).toContain('platform linux/arm64 (from mlflow-production\'s task definition cpu_architecture ARM64)');
    expect(r.stderr).toContain('dry run: would print MLFLOW_IMAGE_DIGEST_PRODUCTION=sha256:<pushed digest>');
    expect(fs.existsSync(path.join(repo, 'docker/.image-digests'))).toBe(false);
  });

  test('--lock runs pip-compile --generate-hashes in the Dockerfile\'s Python image', () => {
    const r = buildPush(['--lock', '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.shown).toHaveLength(1);
    const cmd = r.shown[0];
    expect(cmd.startsWith('docker run --rm --platform linux/amd64 -e MLFLOW_VERSION=2.18.0')).toBe(true);
    expect(cmd).toContain(`python:${PYTHON_TAG} sh -c`);
    expect(cmd).toContain('pip-compile');
    expect(cmd).toContain('--generate-hashes');
    expect(cmd).toContain('requirements.lock');
  });
});

describe('build and push (fakes)', () => {
  test('X86_64 stack: builds linux/amd64, logs in via stdin, prints and writes the digest line', () => {
    synthStack('mlflow-production', 'X86_64');
    const r = buildPush(['--stack', 'mlflow-production']);
    expect(r.stderr).not.toContain('fake-ecr-token');
    expect(r.status).toBe(0);
    const line = `MLFLOW_IMAGE_DIGEST_${envKey('production')}=${PUSHED_DIGEST}`;
    expect(line).toMatch(/^MLFLOW_IMAGE_DIGEST_PRODUCTION=sha256:[0-9a-f]{64}$/);
    expect(r.stdout).toBe(`${line}\n`);
    const written = fs.readFileSync(path.join(repo, 'docker/.image-digests/mlflow-production.env'), 'utf8');
    expect(written.split('\n').filter((l) => !l.startsWith('#') && l !== '')).toEqual([line]);
    // The ECR password went to docker through stdin, never through argv.
    expect(fs.readFileSync(path.join(tmp, 'login-stdin'), 'utf8')).toBe('fake-ecr-token\n');
    expect(r.calls.some((c) => c.includes('fake-ecr-token'))).toBe(false);
    const build = r.calls.find((c) => c[0] === 'docker' && c[1] === 'buildx' && c[2] === 'build')!;
    expect(normalise(build.join(' '))).toBe(buildCommand('linux/amd64', SHA));
  });

  test('--platform wins over the stack; --repository-url skips terraform', () => {
    synthStack('mlflow-staging', 'X86_64');
    const r = buildPush(['--stack', 'mlflow-staging', '--platform', 'linux/arm64', '--repository-url', REPO_URL]);
    expect(r.status).toBe(0);
    expect(r.calls.some((c) => c[0] === 'terraform')).toBe(false);
    expect(r.calls.find((c) => c[2] === 'build')).toContain('linux/arm64');
    expect(r.stdout).toBe(`MLFLOW_IMAGE_DIGEST_STAGING=${PUSHED_DIGEST}\n`);
  });

  test('an environment name with a dash maps to the synth variable (upper-case, _)', () => {
    const r = buildPush(['--stack', 'mlflow-eu-staging', '--platform', 'linux/amd64', '--repository-url', REPO_URL]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`MLFLOW_IMAGE_DIGEST_${envKey('eu-staging')}=${PUSHED_DIGEST}\n`);
    expect(envKey('eu-staging')).toBe('EU_STAGING');
  });
});

describe('refusals', () => {
  test('a dirty tree is refused (exit 1) before anything is built', () => {
    synthStack('mlflow-production', 'X86_64');
    const r = buildPush(['--stack', 'mlflow-production'], { FAKE_GIT_STATUS: ' M src/app.ts\n' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the working tree has uncommitted changes');
    expect(r.calls.some((c) => c[0] === 'docker' || c[0] === 'aws')).toBe(false);
  });

  test('--allow-dirty builds, tagged <sha>-dirty', () => {
    synthStack('mlflow-production', 'X86_64');
    const r = buildPush(['--stack', 'mlflow-production', '--allow-dirty'], { FAKE_GIT_STATUS: ' M src/app.ts\n' });
    expect(r.status).toBe(0);
    expect(r.calls.find((c) => c[2] === 'build')).toContain(`${REPO_URL}:${SHA}-dirty`);
  });

  test('no --platform and no synthesized stack: usage error naming the file', () => {
    const r = buildPush(['--stack', 'mlflow-production', '--repository-url', REPO_URL]);
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('cdktf.out/stacks/mlflow-production/cdk.tf.json');
    expect(r.stderr).toContain('pass --platform');
  });

  test('a task definition without runtime_platform: usage error', () => {
    synthStack('mlflow-production', undefined);
    const r = buildPush(['--stack', 'mlflow-production', '--repository-url', REPO_URL]);
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('has no aws_ecs_task_definition runtime_platform.cpu_architecture');
  });

  test('a repository URL that is not ECR is refused', () => {
    const r = buildPush(['--stack', 'mlflow-production', '--platform', 'linux/amd64', '--repository-url', 'docker.io/me/mlflow']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("'docker.io/me/mlflow' is not an ECR repository URL");
  });

  test('a push that reports no digest fails (exit 1) and writes nothing', () => {
    const r = buildPush(['--stack', 'mlflow-production', '--platform', 'linux/amd64', '--repository-url', REPO_URL], {
      FAKE_NO_DIGEST: '1',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the push reported no image digest');
    expect(fs.existsSync(path.join(repo, 'docker/.image-digests/mlflow-production.env'))).toBe(false);
  });

  test.each([
    [['--stack', 'production'], "--stack 'production' is not 'mlflow-<env>'"],
    [['--stack', 'mlflow-production', '--platform', 'linux/386'], "--platform 'linux/386' is not supported"],
    [['--bogus'], "unknown argument '--bogus'"],
    [[], '--stack is required'],
  ])('usage error %j exits 64', (args, message) => {
    const r = buildPush(args);
    expect(r.status).toBe(64);
    expect(r.stderr).toContain(message);
  });

  test('--help documents the digest line and the exit codes', () => {
    const r = buildPush(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('MLFLOW_IMAGE_DIGEST_<ENV>=sha256:<64 hex>');
    expect(r.stdout).toContain('Exit codes: 0');
  });
});
