/**
 * The one error model of mlflow-infra: every error a user can cause (bad input, a failed step, a
 * refusal) is an {@link InfraError} carrying its exit code. Domain modules throw them; only the CLI
 * dispatcher (`src/cli/main.ts`) turns one into a message (`mlflow-infra <command>: <message>`) and
 * an exit code. Anything else that escapes a command is a bug: the dispatcher prints its stack trace
 * once, says where to report it and exits {@link EXIT}.software (70).
 *
 * This module is a foundation: it imports nothing, and everything may import it.
 */

/**
 * The exit codes of every `mlflow-infra` command (README, "Exit codes"). Commands also return 0, 1,
 * 2 and 77 as outcomes (no changes, problems found, changes to review, skipped); errors carry 1, 3
 * or 64.
 */
export const EXIT = {
  /** Success; for plan/drift/review-plan: no changes. */
  ok: 0,
  /** Error: bad input, a failed step, a check that found problems. */
  failed: 1,
  /** Success with changes to review (plan, drift, review-plan). */
  changes: 2,
  /** Refused by a safety guard; nothing was changed. */
  refused: 3,
  /** Usage error (unknown command, option, stack...), found before any work (EX_USAGE). */
  usage: 64,
  /** A bug in mlflow-infra: an unexpected error, printed with its stack trace (EX_SOFTWARE). */
  software: 70,
  /** Skipped: nothing was checked; never a pass (what automake and meson read as "skipped"). */
  skipped: 77,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit codes an {@link InfraError} may carry: an error is never a success, a skip or a bug. */
export type ErrorExitCode = typeof EXIT.failed | typeof EXIT.refused | typeof EXIT.usage;

export interface InfraErrorOptions {
  /** Default {@link EXIT}.failed (1). */
  readonly exitCode?: ErrorExitCode;
  readonly cause?: unknown;
}

/**
 * An error for the user: its message is printed as is (no stack trace) and the command exits with
 * {@link exitCode}. Subclasses name the area (`StateError`, `LoopError`...).
 */
export class InfraError extends Error {
  readonly exitCode: ErrorExitCode;

  constructor(message: string, options: InfraErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? EXIT.failed;
  }

  /** What the CLI prints, one `mlflow-infra <command>: ` prefix each (default: the message). */
  paragraphs(): readonly string[] {
    return [this.message];
  }
}

/**
 * A usage error (exit 64): the dispatcher prints it with the command's synopsis and where its full
 * help is. Found before any work.
 */
export class UsageError extends InfraError {
  constructor(message: string) {
    super(message, { exitCode: EXIT.usage });
  }
}
