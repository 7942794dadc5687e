/**
 * How a program of this project (the CLI, src/cli/main.ts, and the synth, src/cli/synth.ts) turns an
 * error into a message and an exit code (src/errors.ts): an {@link InfraError} prints
 * `<program>: <message>` and exits with its code; a file-system error (no such file, permission
 * denied...) is named in words and exits 1; anything else is a bug: its stack trace is printed once,
 * with where to report it, and the exit code is 70.
 */
import { EXIT, InfraError } from '../errors';
import { fsErrorMessage, isFsError } from '../fs-errors';

/** Where a bug is reported (printed with the stack trace of an unexpected error). */
export const BUG_REPORT = 'please report it to the mlflow-infra maintainers (an issue in the mlflow-infra repository) with the command line and this output';

/** Prints `err` for `name` (a program or command) and returns the exit code it stands for. */
export function reportError(stderr: (text: string) => void, name: string, err: unknown): number {
  if (err instanceof InfraError) {
    for (const paragraph of err.paragraphs()) stderr(`${name}: ${paragraph}\n`);
    return err.exitCode;
  }
  if (isFsError(err)) {
    stderr(`${name}: ${fsErrorMessage(err)}\n`);
    return EXIT.failed;
  }
  const trace = err instanceof Error ? err.stack ?? `${err.name}: ${err.message}` : String(err);
  stderr(`${name}: internal error: ${trace}\n${name}: this is a bug in mlflow-infra, not in your input: ${BUG_REPORT} (exit ${EXIT.software})\n`);
  return EXIT.software;
}
