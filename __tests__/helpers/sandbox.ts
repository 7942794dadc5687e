/**
 * Runs a process the way the ECS task runs the image, without Docker: as the container user (a
 * real uid/gid, no capabilities), over a read-only root filesystem, with only `/tmp` writable and
 * that `/tmp` a given host directory (its owner and mode are what the test is about), in its own
 * network namespace (loopback only). Built from Debian's bubblewrap (`bwrap`) and util-linux's
 * `setpriv`; it needs root to switch to the container's uid, as CI has.
 *
 * The Python that runs inside is this machine's (with gunicorn from the local pip mirror, and
 * psycopg2 for the health check): when it lives under a directory the container user cannot
 * traverse (pyenv under /root), that directory is replaced in the sandbox by a read-only tmpfs
 * holding only a read-only bind of the Python tree.
 *
 * A missing part fails loudly, naming the install command, unless MLFLOW_INFRA_ALLOW_NO_SANDBOX=1
 * (then the tests that need it are skipped with a warning, never passed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ALLOW_NO_SANDBOX = 'MLFLOW_INFRA_ALLOW_NO_SANDBOX';

export interface SandboxPython {
  /** Real path of the interpreter. */
  readonly executable: string;
  /** Directories that must be visible (prefix, base prefix, site-packages of the modules asked for). */
  readonly trees: readonly string[];
}

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The Python on PATH that imports `modules`, or the problems that keep the sandbox from running. */
export function sandboxPython(modules: readonly string[]): { python?: SandboxPython; problems: string[] } {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('the sandbox switches to the container uid, which needs root (CI runs as root)');
  if (!which('bwrap')) problems.push('bubblewrap is missing: apt-get install -y bubblewrap');
  if (!which('setpriv')) problems.push('setpriv is missing: apt-get install -y util-linux');
  const script = `import json, os, sys, importlib
mods = ${JSON.stringify(modules)}
paths = []
for m in mods:
    paths.append(os.path.dirname(os.path.dirname(os.path.realpath(importlib.import_module(m).__file__))))
print(json.dumps({"executable": os.path.realpath(sys.executable), "trees": [os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix), *paths]}))`;
  const r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) {
    problems.push(`python3 cannot import ${modules.join(', ')}: pip install ${modules.map((m) => (m === 'psycopg2' ? 'psycopg2-binary' : m)).join(' ')} (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return { problems };
  }
  return { python: JSON.parse(r.stdout) as SandboxPython, problems };
}

/**
 * The Python for the sandbox, or undefined (with a warning) when a part is missing and
 * MLFLOW_INFRA_ALLOW_NO_SANDBOX=1; otherwise a missing part throws.
 */
export function requireSandbox(modules: readonly string[], what: string, opts: { pythonOnly?: boolean } = {}): SandboxPython | undefined {
  const found = sandboxPython(modules);
  const { python } = found;
  // pythonOnly: the test runs this Python directly (no bwrap, no uid switch).
  const problems = opts.pythonOnly ? found.problems.filter((p) => p.startsWith('python3')) : found.problems;
  if (problems.length === 0) return python;
  const why = `${what} needs a sandbox it cannot build here:\n  - ${problems.join('\n  - ')}`;
  if (process.env[ALLOW_NO_SANDBOX] === '1') {
    process.stderr.write(`WARNING: skipping (${ALLOW_NO_SANDBOX}=1): ${why}\n`);
    return undefined;
  }
  throw new Error(`${why}\nSet ${ALLOW_NO_SANDBOX}=1 to skip these tests on a machine without them.`);
}

/** bwrap arguments that make each tree visible to an unprivileged user (see the file comment). */
function reachable(trees: readonly string[]): string[] {
  const args: string[] = [];
  const hidden = new Set<string>();
  for (const tree of trees) {
    const parts = tree.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const dir = '/' + parts.slice(0, i + 1).join('/');
      if ((fs.statSync(dir).mode & 0o001) === 0 && i + 1 < parts.length) {
        const child = '/' + parts.slice(0, i + 2).join('/');
        if (!hidden.has(child)) args.push('--tmpfs', dir, '--ro-bind', child, child, '--remount-ro', dir);
        hidden.add(child);
        break;
      }
    }
  }
  return args;
}

export interface SandboxRun {
  readonly python: SandboxPython;
  readonly uid: number;
  readonly gid: number;
  /** Host directory mounted read-write at /tmp (the task volume). */
  readonly tmpDir: string;
  /** Host directory mounted read-only at /srv/app (the files the command needs). */
  readonly appDir: string;
  /** Command inside the sandbox; `python` is replaced by the sandbox Python. */
  readonly argv: readonly string[];
  readonly timeoutMs: number;
}

/** Runs `argv` as uid:gid over a read-only root with the given /tmp; returns its exit status and output. */
export function runInSandbox(run: SandboxRun): { status: number | null; stdout: string; stderr: string } {
  const argv = run.argv.map((a) => (a === 'python' ? run.python.executable : a));
  const args = [
    '--die-with-parent',
    '--unshare-net',
    '--unshare-pid',
    '--unshare-ipc',
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    ...reachable(run.python.trees),
    '--tmpfs', '/srv',
    '--ro-bind', run.appDir, '/srv/app',
    '--remount-ro', '/srv',
    '--bind', run.tmpDir, '/tmp',
    '--chdir', '/',
    '--cap-add', 'CAP_SETUID',
    '--cap-add', 'CAP_SETGID',
    '--',
    'setpriv', '--reuid', String(run.uid), '--regid', String(run.gid), '--clear-groups', '--',
    ...argv,
  ];
  const r = spawnSync('bwrap', args, { encoding: 'utf8', timeout: run.timeoutMs, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** A private directory readable (not writable) by everyone, for /srv/app. */
export function publicDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-sandbox-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** A directory owned by uid:gid with `mode`, for /tmp (created inside a private parent). */
export function ownedDir(parent: string, name: string, uid: number, gid: number, mode: number): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir);
  fs.chownSync(dir, uid, gid);
  fs.chmodSync(dir, mode);
  return dir;
}

/** Removes a sandbox directory tree (files inside may belong to the container uid). */
export function removeDir(dir: string): void {
  execFileSync('rm', ['-rf', '--', dir]);
}
