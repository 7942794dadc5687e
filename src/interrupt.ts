/**
 * Clean-up when a command is interrupted (Ctrl-C, `kill`, a closed terminal): commands that hold
 * secrets on disk (password files, database dumps) or run child programs register them here while
 * they hold them. On SIGINT, SIGTERM or SIGHUP the running children are stopped, every registered
 * clean-up runs (newest first), one line on stderr says what was removed (and what could not be),
 * and the process exits with 128 + the signal number (130, 143, 129), as a shell reports it.
 *
 * The handlers are installed only while something is registered, so commands without secrets keep
 * Node's default behaviour. `kill -9` cannot be caught: files are created private (0600 in a 0700
 * directory) for that case.
 */
import type { ChildProcess } from 'node:child_process';

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
type HandledSignal = keyof typeof SIGNAL_NUMBERS;

interface Cleanup {
  /** What is removed, for the message: e.g. `the password files in /tmp/mlflow-infra-pg-x`. */
  readonly what: string;
  readonly run: () => void;
}

const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();
let installed = false;

function onSignal(signal: HandledSignal): void {
  for (const child of children) child.kill('SIGTERM');
  const removed: string[] = [];
  const failed: string[] = [];
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup.run();
      removed.push(cleanup.what);
    } catch (err) {
      failed.push(`${cleanup.what} (${(err as Error).message})`);
    }
  }
  process.stderr.write(
    `mlflow-infra: interrupted by ${signal}; ` +
      (removed.length > 0 ? `removed ${removed.join('; ')}` : 'nothing to clean up') +
      (failed.length > 0 ? `; could NOT remove ${failed.join('; ')}: delete by hand` : '') +
      '\n',
  );
  process.exit(128 + SIGNAL_NUMBERS[signal]);
}

const listeners = Object.fromEntries(
  (Object.keys(SIGNAL_NUMBERS) as HandledSignal[]).map((s) => [s, () => onSignal(s)]),
) as Record<HandledSignal, () => void>;

function sync(): void {
  const wanted = cleanups.length > 0 || children.size > 0;
  if (wanted === installed) return;
  for (const [signal, listener] of Object.entries(listeners)) {
    if (wanted) process.on(signal, listener);
    else process.off(signal, listener);
  }
  installed = wanted;
}

/** Registers a clean-up for an interruption; call the returned function once it is no longer needed. */
export function onInterrupt(what: string, run: () => void): () => void {
  const cleanup: Cleanup = { what, run };
  cleanups.push(cleanup);
  sync();
  return () => {
    const i = cleanups.indexOf(cleanup);
    if (i >= 0) cleanups.splice(i, 1);
    sync();
  };
}

/** Stops `child` (SIGTERM) on an interruption, until it exits. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  sync();
  const forget = () => {
    children.delete(child);
    sync();
  };
  child.once('close', forget);
  child.once('error', forget);
}

/** For tests: whether handlers are installed and how many clean-ups and children are registered. */
export function interruptState(): { installed: boolean; cleanups: number; children: number } {
  return { installed, cleanups: cleanups.length, children: children.size };
}
