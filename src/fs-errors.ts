/** File-system errors in words: messages never show a raw `ENOENT: no such file or directory, open '...'`. */

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EEXIST: 'already exists',
};

/** What went wrong reading or writing a file, in words (`no such file`, `is a directory`, ...). */
export function readErrorText(err: NodeJS.ErrnoException): string {
  return (err.code !== undefined && WORDS[err.code]) || err.message;
}

/** A Node file-system error (it has an errno `code` and the `syscall` that failed). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException & { code: string; syscall: string } {
  // Duck-typed: errors from another realm (jest's sandbox, a worker) fail `instanceof Error`.
  const e = err as NodeJS.ErrnoException | undefined;
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.syscall === 'string';
}

/** `cannot read <path>: no such file` (or write/open...) for a raw file-system error. */
export function fsErrorMessage(err: NodeJS.ErrnoException & { syscall: string }): string {
  const verb = /write|mkdir|rename|unlink|rm/.test(err.syscall) ? 'write' : 'read';
  return `cannot ${verb} ${err.path ?? 'a file'}: ${readErrorText(err)}`;
}
