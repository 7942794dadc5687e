/**
 * Private files: everything the tools write that can hold state or data (Terraform states, their
 * backups, dumps, password files, plans) is created 0600 in a 0700 directory, whatever the umask.
 * Shared by the state migration (src/migration) and the database migration (src/db-migration).
 *
 * - {@link writePrivateFile}: atomic (a temporary file in the same directory, then rename), so a
 *   reader never sees half a file and a crash leaves the old content;
 * - {@link ensurePrivateDir}: creates missing directories 0700 (an existing directory is not
 *   changed: it may be the user's working directory);
 * - {@link createEmptyPrivateFile}: an empty 0600 file, refused if it exists, for another program to
 *   fill (the `db migrate --dump-file` pg_dump writes);
 * - {@link makePrivate}: chmod 0600 of files another program wrote (terraform's `.backup` files);
 * - {@link withPrivateUmask}: runs a function that starts child processes with umask 077, so what
 *   they create is private from the first byte (a child inherits the umask when it is spawned).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` and its missing parents with mode 0700 (chmod after mkdir, so the umask cannot widen or narrow it). */
export function ensurePrivateDir(dir: string): void {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  while (!fs.existsSync(cur)) {
    missing.unshift(cur);
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const d of missing) {
    fs.mkdirSync(d, { mode: PRIVATE_DIR_MODE });
    fs.chmodSync(d, PRIVATE_DIR_MODE);
  }
}

/**
 * Creates `file` empty with mode 0600 (chmod after open, so the umask cannot narrow it), failing
 * with the `EEXIST` error when it exists: never opens or truncates someone else's file.
 */
export function createEmptyPrivateFile(file: string): void {
  const fd = fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `data` to `file` with mode 0600, atomically (temporary file + rename); missing directories are created 0700. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const target = path.resolve(file);
  ensurePrivateDir(path.dirname(target));
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** chmod 0600 of each existing file (files another program wrote); returns those changed. */
export function makePrivate(files: readonly string[]): string[] {
  const changed: string[] = [];
  for (const f of files) {
    let mode: number;
    try {
      mode = fs.statSync(f).mode & 0o777;
    } catch {
      continue;
    }
    if ((mode & 0o077) === 0) continue;
    // A read-only copy (0444 -> 0400) stays read-only: only group/other (and execute) bits are taken away.
    const next = mode & 0o600;
    fs.chmodSync(f, next === 0 ? PRIVATE_FILE_MODE : next);
    changed.push(f);
  }
  return changed;
}

/**
 * Runs `fn` with the process umask set to 077 and restores it before returning (also when `fn`
 * throws). Child processes spawned synchronously inside `fn` (e.g. `spawn` in a Promise executor)
 * keep 077 for their whole life. Node's worker threads cannot change the umask: there `fn` just runs.
 */
export function withPrivateUmask<T>(fn: () => T): T {
  let previous: number | undefined;
  try {
    previous = process.umask(0o077);
  } catch {
    previous = undefined;
  }
  try {
    return fn();
  } finally {
    if (previous !== undefined) process.umask(previous);
  }
}
