/**
 * Static checks of docker/Dockerfile, docker/requirements.txt and the ignore files (no Docker
 * engine exists here, so the image is checked by reading what builds it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTAINER_PORT, HEALTH_CHECK_COMMAND, HEALTH_CHECK_SCRIPT, HEALTH_CHECK_TIMING, IMAGE_ENV, IMAGE_USER } from '../../src/image/contract';
import { Instruction, parseDockerfile, stages } from '../helpers/dockerfile';

const ROOT = path.resolve(__dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

const dockerfile = read('docker/Dockerfile');
const instructions = parseDockerfile(dockerfile);
const [globalArgs, ...buildStages] = stages(instructions);
const finalStage = buildStages[buildStages.length - 1];
const builderStage = buildStages[0];

function single(stage: Instruction[], keyword: string): Instruction {
  const found = stage.filter((i) => i.keyword === keyword);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('versions are pinned', () => {
  test('MLflow: every MLFLOW_VERSION build argument defaults to 2.18.0 and the builder installs that argument', () => {
    const args = instructions.filter((i) => i.keyword === 'ARG' && i.args.startsWith('MLFLOW_VERSION'));
    expect(args.length).toBeGreaterThan(0);
    for (const a of args) expect(a.args).toBe('MLFLOW_VERSION=2.18.0');
    expect(builderStage.map((i) => i.args).join('\n')).toContain('"mlflow[auth]==${MLFLOW_VERSION}"');
  });

  test('requirements.txt pins every package with == to an exact version and has boto3 and psycopg2', () => {
    const lines = read('docker/requirements.txt')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^[A-Za-z0-9_.-]+(\[[a-z,]+\])?==\d+(\.\d+)+$/);
    const names = lines.map((l) => l.split('==')[0].toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['boto3', 'psycopg2-binary']));
    // Installed from the build argument, never from a second, drifting pin.
    expect(names).not.toContain('mlflow');
  });

  test('the base image is python:<exact 3.11 patch>-slim-bookworm through one global ARG used by every stage', () => {
    const arg = globalArgs.filter((i) => i.keyword === 'ARG');
    expect(arg).toHaveLength(1);
    expect(arg[0].args).toMatch(/^PYTHON_IMAGE_TAG=3\.11\.\d+-slim-bookworm$/);
    for (const stage of buildStages) expect(stage[0].args).toMatch(/^python:\$\{PYTHON_IMAGE_TAG\} AS [a-z]+$/);
    expect(dockerfile).not.toMatch(/:latest\b/);
  });

  test('with a requirements.lock the build installs with --require-hashes and checks the MLflow pin in it', () => {
    const run = builderStage.find((i) => i.keyword === 'RUN' && i.args.includes('requirements.lock'))!;
    expect(run.args).toMatch(/if \[ -f \/tmp\/requirements\/requirements\.lock \]; then .*pip install --require-hashes --no-deps -r \/tmp\/requirements\/requirements\.lock/);
    expect(run.args).toContain('mlflow(\\[auth\\])?==${MLFLOW_VERSION}');
    expect(builderStage.find((i) => i.keyword === 'COPY')!.args).toBe('requirements* /tmp/requirements/');
  });
});

describe('multi-stage, slim, non-root', () => {
  test('two stages: a builder with a venv, a final stage that copies only the venv', () => {
    expect(buildStages).toHaveLength(2);
    expect(builderStage.some((i) => i.keyword === 'RUN' && i.args === 'python -m venv /opt/venv')).toBe(true);
    const copies = finalStage.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual([
      '--from=builder /opt/venv /opt/venv',
      '--chmod=0555 entrypoint.py /usr/local/bin/mlflow-entrypoint.py',
      `--chmod=0555 healthcheck.py ${HEALTH_CHECK_SCRIPT}`,
    ]);
  });

  test('no compilers anywhere and no package installs in the final stage (no pip, no apt caches)', () => {
    expect(dockerfile).not.toMatch(/build-essential|\bgcc\b|\bg\+\+|libpq-dev|python3-dev/);
    const finalRuns = finalStage.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    for (const r of finalRuns) expect(r).not.toMatch(/pip|apt-get|apk|curl|wget/);
    expect(builderStage.find((i) => i.keyword === 'ENV' && i.args.includes('PIP_NO_CACHE_DIR=1'))).toBeDefined();
  });

  test('the final stage runs as a numeric, non-root USER: the one the task definition runs as', () => {
    const user = single(finalStage, 'USER').args;
    expect(user).toBe(IMAGE_USER);
    const [uid, gid] = IMAGE_USER.split(':');
    expect(single(finalStage, 'RUN').args).toContain(`groupadd --system --gid ${gid} mlflow`);
    expect(single(finalStage, 'RUN').args).toContain(`useradd --system --uid ${uid} --gid ${gid}`);
    const m = /^(\d+)(?::(\d+))?$/.exec(user);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    if (m![2] !== undefined) expect(Number(m![2])).toBeGreaterThan(0);
    // The USER comes after every RUN/COPY of the final stage: nothing later runs as root.
    const userIndex = finalStage.findIndex((i) => i.keyword === 'USER');
    expect(finalStage.slice(userIndex).some((i) => i.keyword === 'RUN')).toBe(false);
  });
});

describe('runtime contract (src/image/contract.ts)', () => {
  test('EXPOSE is the container port', () => {
    expect(single(finalStage, 'EXPOSE').args).toBe(String(CONTAINER_PORT));
  });

  test('HEALTHCHECK is the contract command and timings, in exec form, without curl', () => {
    const hc = single(finalStage, 'HEALTHCHECK').args;
    const m = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+(\[.*\])$/.exec(hc);
    expect(m).not.toBeNull();
    const flags = Object.fromEntries(m![1].trim().split(/\s+/).map((f) => f.replace(/^--/, '').split('=')));
    expect(flags).toEqual({
      interval: `${HEALTH_CHECK_TIMING.intervalSeconds}s`,
      timeout: `${HEALTH_CHECK_TIMING.timeoutSeconds}s`,
      'start-period': `${HEALTH_CHECK_TIMING.startPeriodSeconds}s`,
      retries: String(HEALTH_CHECK_TIMING.retries),
    });
    expect(HEALTH_CHECK_COMMAND[0]).toBe('CMD');
    expect(JSON.parse(m![2])).toEqual(HEALTH_CHECK_COMMAND.slice(1));
    expect(hc).not.toMatch(/curl|wget/);
  });

  test('ENTRYPOINT/CMD are exec form, run the entrypoint, and install nothing', () => {
    const entrypoint = JSON.parse(single(finalStage, 'ENTRYPOINT').args) as string[];
    const cmd = JSON.parse(single(finalStage, 'CMD').args) as string[];
    expect(entrypoint).toEqual(['python', '/usr/local/bin/mlflow-entrypoint.py']);
    expect(cmd).toEqual(['server']);
    for (const part of [...entrypoint, ...cmd]) expect(part).not.toMatch(/pip|install|sh -c/);
  });

  test('the image sets no value for a contract variable (they come from the task definition)', () => {
    const envLines = finalStage.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    for (const name of Object.values(IMAGE_ENV)) expect(envLines).not.toContain(name);
  });
});

describe('build context and generated files', () => {
  test('.dockerignore sends only the files the Dockerfile copies', () => {
    const lines = read('docker/.dockerignore').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines).toEqual(['*', '!requirements.txt', '!requirements.lock', '!entrypoint.py', '!healthcheck.py']);
  });

  test('docker/.gitignore keeps the per-stack digest files out of git', () => {
    expect(read('docker/.gitignore').split('\n')).toContain('.image-digests/');
  });

  test('build-push is an executable bash script with strict mode', () => {
    const script = read('docker/build-push');
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('\nset -euo pipefail\n');
    expect(fs.statSync(path.join(ROOT, 'docker/build-push')).mode & 0o111).not.toBe(0);
  });
});

describe('docs/image.md', () => {
  const doc = read('docs/image.md');

  test('the env contract table lists every IMAGE_ENV variable', () => {
    const rows = doc.split('\n').filter((l) => l.startsWith('| `MLFLOW_'));
    const documented = rows.map((r) => /^\| `([A-Z_]+)`/.exec(r)![1]);
    expect(documented.sort()).toEqual(Object.values(IMAGE_ENV).sort());
  });

  test('documents the synth hand-off, the lock command and the db-upgrade run', () => {
    expect(doc).toContain('MLFLOW_IMAGE_DIGEST_PRODUCTION=sha256:');
    expect(doc).toContain('npm run synth');
    expect(doc).toContain('docker/build-push --lock');
    expect(doc).toContain('aws ecs run-task');
    expect(doc).toContain('"command":["db-upgrade"]');
    expect(doc).toContain('-db-upgrade');
  });
});
