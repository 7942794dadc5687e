/**
 * How the database migration runs external programs (`psql`, `pg_dump`, `pg_restore`, `aws`).
 * Injectable so unit tests can record or fake every invocation; {@link spawnRunner} is the real one.
 * Connection secrets travel in `env` (a `PGPASSFILE` path, see `connection.ts`), never in `args`.
 */
import { spawn } from 'node:child_process';
import { trackChild } from '../interrupt';

export interface RunRequest {
  readonly command: string;
  readonly args: readonly string[];
  /** The complete environment of the child (not merged with the parent's). */
  readonly env: Readonly<Record<string, string>>;
  /** Called with each complete line the child writes to stderr (for progress). */
  readonly onStderrLine?: (line: string) => void;
}

export interface RunResult {
  /** Exit code; null when the child was killed by a signal or could not be started. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started (e.g. ENOENT). */
  readonly spawnError?: string;
}

export type Runner = (request: RunRequest) => Promise<RunResult>;

export const spawnRunner: Runner = (request) =>
  new Promise((resolve) => {
    const child = spawn(request.command, [...request.args], { env: { ...request.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    const out: Buffer[] = [];
    let err = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
      if (!request.onStderrLine) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) request.onStderrLine(line);
    });
    child.on('error', (e) => resolve({ code: null, stdout: '', stderr: err, spawnError: e.message }));
    child.on('close', (code) => {
      if (pending && request.onStderrLine) request.onStderrLine(pending);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: err });
    });
  });

/** A one-line reason for a failed run: the program's last error lines, or why it did not start. */
export function failureReason(command: string, result: RunResult): string {
  if (result.spawnError) return `cannot run ${command}: ${result.spawnError}`;
  const lines = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const errors = lines.filter((l) => /error|fatal/i.test(l));
  const shown = (errors.length > 0 ? errors : lines).slice(-3).join(' | ');
  return `${command} exited with ${result.code ?? 'a signal'}${shown ? `: ${shown}` : ''}`;
}
