/**
 * Image override variables: one that names no environment (`MLFLOW_IMAGE_DIGEST_PROD` for
 * `production`) would be ignored and leave the old image deployed, so synth rejects it, naming the
 * variable and the allowed names; it is reported with the config's own problems.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { environments } from '../../src/config/environments';
import { imageOverrideVariables, resolveEnvironments, unknownOverrideProblems } from '../../src/config/overrides';

const digest = `sha256:${'ab'.repeat(32)}`;
const ALLOWED = 'MLFLOW_IMAGE_DIGEST_STAGING, MLFLOW_IMAGE_TAG_STAGING, MLFLOW_IMAGE_DIGEST_PRODUCTION, MLFLOW_IMAGE_TAG_PRODUCTION, MLFLOW_IMAGE_DIGEST_APPRUNNER_STAGING, MLFLOW_IMAGE_TAG_APPRUNNER_STAGING';

test('an override variable for an environment that does not exist is a problem naming it and the allowed names', () => {
  expect(unknownOverrideProblems(environments, { MLFLOW_IMAGE_DIGEST_PROD: digest, PATH: '/bin' })).toEqual([
    {
      path: '$MLFLOW_IMAGE_DIGEST_PROD',
      value: digest,
      message: `is not an image override of any environment (it would be ignored, leaving the current image deployed): did you mean MLFLOW_IMAGE_DIGEST_PRODUCTION? allowed: ${ALLOWED}`,
    },
  ]);
  // Any MLFLOW_IMAGE_* name counts, including a misspelled kind or an empty value.
  expect(unknownOverrideProblems(environments, { MLFLOW_IMAGE_SHA_STAGING: 'x', MLFLOW_IMAGE_TAG_QA: '' }).map((p) => p.path)).toEqual(['$MLFLOW_IMAGE_SHA_STAGING', '$MLFLOW_IMAGE_TAG_QA']);
});

test('the variables every environment reads are accepted and applied', () => {
  const env = Object.fromEntries(environments.map((e) => [imageOverrideVariables(e.name)[0], digest]));
  const { configs, problems } = resolveEnvironments(environments, env);
  expect(problems).toEqual([]);
  expect(configs.map((c) => c.registry.image)).toEqual(environments.map(() => ({ digest })));
  expect(imageOverrideVariables('apprunner-staging')).toEqual(['MLFLOW_IMAGE_DIGEST_APPRUNNER_STAGING', 'MLFLOW_IMAGE_TAG_APPRUNNER_STAGING']);
});

test('synth exits 1, names the variable with the config problems, and writes nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-overrides-'));
  try {
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'marker'), 'previous output');
    const result = spawnSync(process.execPath, ['-r', './scripts/register.js', 'main.ts'], {
      cwd: path.join(__dirname, '..', '..'),
      env: { ...process.env, CDKTF_OUTDIR: out, MLFLOW_IMAGE_DIGEST_PROD: digest, MLFLOW_IMAGE_TAG_STAGING: 'latest' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('synth: invalid configuration (2 problems):\n');
    expect(result.stderr).toContain('  - $MLFLOW_IMAGE_DIGEST_PROD: "sha256:abab');
    expect(result.stderr).toContain('did you mean MLFLOW_IMAGE_DIGEST_PRODUCTION?');
    expect(result.stderr).toContain('  - staging.registry.image.tag: "latest" must be an immutable image tag');
    expect(fs.readdirSync(out)).toEqual(['marker']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('mlflow-infra check rejects the same variable (exit 1) before building anything', async () => {
  const err: string[] = [];
  const io = { stdout: () => undefined, stderr: (t: string) => err.push(t), readStdin: async () => Buffer.alloc(0), isTty: false, env: { MLFLOW_IMAGE_TAG_PROD: 'git-0123abc' }, cwd: process.cwd() };
  expect(await main(['check', '--stack', 'mlflow-production'], io)).toBe(1);
  expect(err.join('')).toContain('check: invalid configuration (1 problem):\n  - $MLFLOW_IMAGE_TAG_PROD: "git-0123abc" is not an image override of any environment');
});
