/**
 * Test doubles for the {@link Runner}: every call recorded (argv, env, the PGPASSFILE's mode at the
 * time of the call), `aws` answered from a fixed SecretString (the only program this machine cannot
 * reach for real), everything else delegated (to the real {@link spawnRunner} or a fake).
 */
import { existsSync, statSync } from 'node:fs';
import { CliIo } from '../../src/cli/command';
import { RunRequest, RunResult, Runner, spawnRunner } from '../../src/db-migration/runner';

export interface RecordedCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Permission bits of env.PGPASSFILE when the program started, if set. */
  readonly passfileMode?: number;
}

export interface Recording {
  readonly runner: Runner;
  readonly calls: RecordedCall[];
}

export function recordingRunner(options: { secretString?: string; delegate?: Runner } = {}): Recording {
  const calls: RecordedCall[] = [];
  const delegate = options.delegate ?? spawnRunner;
  const runner: Runner = async (req: RunRequest): Promise<RunResult> => {
    const passfile = req.env.PGPASSFILE;
    calls.push({
      command: req.command,
      args: [...req.args],
      env: { ...req.env },
      ...(passfile && existsSync(passfile) ? { passfileMode: statSync(passfile).mode & 0o777 } : {}),
    });
    if (req.command === 'aws') {
      return options.secretString === undefined
        ? { code: 254, stdout: '', stderr: 'An error occurred (ResourceNotFoundException): Secrets Manager can\'t find the specified secret.\n' }
        : { code: 0, stdout: `${options.secretString}\n`, stderr: '' };
    }
    return delegate(req);
  };
  return { runner, calls };
}

/** Asserts no recorded argv element and no env value contains any of the secrets. */
export function leakedSecrets(calls: readonly RecordedCall[], secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const call of calls) {
    for (const secret of secrets) {
      if (call.args.some((a) => a.includes(secret))) leaks.push(`${call.command} argv contains a password`);
      if (Object.values(call.env).some((v) => v.includes(secret))) leaks.push(`${call.command} env contains a password`);
    }
  }
  return leaks;
}

export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIo(env: NodeJS.ProcessEnv): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => Buffer.alloc(0),
    isTty: false,
    env,
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}
