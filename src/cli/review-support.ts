/**
 * What the reviewing commands (`review-plan`, `plan`, `drift`) share: their review options, the
 * exit-code text of their usage, reading a plan argument, and printing a review through the CLI's io.
 */
import * as path from 'node:path';
import { CliIo, notOneOf } from './command';
import { UsageError } from '../errors';
import { allowAddressProblem, readAllowLists, readErrorText } from '../plan-review/allow-list';
import { PlanInputError } from '../terraform-json/plan-input';
import { withPlanFile } from '../terraform-json/plan-reader';
import { PlanDocument } from '../terraform-json/plan-types';
import { Format, FORMATS, render, renderJsonChunks, useColour } from '../plan-review/render';
import { AllowDestroy, PlanReview, ReviewOptions, reviewPlan } from '../plan-review/review';
import { reviewPlanBytes } from '../plan-review/stream';

/** Options every reviewing command takes. */
export const REVIEW_OPTIONS = {
  format: {
    type: 'string',
    default: 'text',
    value: 'text|markdown|json',
    help: 'Output format (default text). markdown is sized for a GitHub PR comment;\njson follows the schema in docs/plan-review.md.',
  },
  'allow-destroy': { type: 'string', multiple: true, default: [] as string[], value: '<address>', help: 'Allow destroying/replacing this stateful resource (repeatable).' },
  'allow-destroy-file': {
    type: 'string',
    multiple: true,
    default: [] as string[],
    value: '<path>',
    help:
      'Also allow the addresses listed in this file (repeatable; the files are\n' +
      'merged): one resource address per line, e.g. aws_db_instance.main or\n' +
      'module.db.aws_s3_bucket.this["a"] (not a module or a data source), each\n' +
      'optionally followed by "# reason"; "#" comment lines and blank lines\n' +
      'are ignored. A missing file, an invalid line, or an address listed\n' +
      'twice (in one file or in two) is an error (exit 1).',
  },
  'protect-type': {
    type: 'string',
    multiple: true,
    default: [] as string[],
    value: '<type>',
    help: 'Also guard this resource type (repeatable), in addition to the\nbuilt-in stateful types (src/stateful.ts).',
  },
  title: { type: 'string', value: '<text>', help: 'Heading of the markdown output (e.g. the stack name).' },
} as const;

/** Options of the commands that run terraform plan (`plan`, `drift`), besides {@link REVIEW_OPTIONS}. */
export const LOOP_ONLY_OPTIONS = {
  'no-synth': { type: 'boolean', default: false, help: 'Skip synth (npm run -s synth): plan the stacks already in cdktf.out.' },
  'no-lock': {
    type: 'boolean',
    default: false,
    help:
      'Plan without the state lock (terraform plan -lock=false), so the plan\n' +
      'neither waits for nor fails on a lock held by another plan or an\n' +
      'apply ("Error acquiring the state lock"). Such a plan is for review\n' +
      'only: it may read the state while an apply is changing it, and it is\n' +
      'never applied (an apply takes the lock, reads the state again and\n' +
      'plans again). CI uses it.',
  },
  'lock-timeout': {
    type: 'string',
    value: '<duration>',
    help:
      'Wait this long for a held state lock before failing (passed as\n' +
      'terraform plan -lock-timeout=<duration>, e.g. 30s, 5m, 1m30s).\n' +
      'Not with --no-lock.',
  },
} as const;

const GO_DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  '\u00b5s': 1000n, // µ MICRO SIGN
  '\u03bcs': 1000n, // μ GREEK SMALL LETTER MU
  ms: 1000_000n,
  s: 1000_000_000n,
  m: 60n * 1000_000_000n,
  h: 3600n * 1000_000_000n,
};
const TWO_63 = 1n << 63n;

/**
 * Why `text` is not a duration Go's `time.ParseDuration` accepts (terraform parses -lock-timeout
 * with it), or undefined when it is one. The same grammar and limits as Go:
 * `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with digits before or after each point, units ns, us, µs, μs,
 * ms, s, m, h; a bare `0` (optionally signed) needs no unit; at most 2^63-1 ns (2^63 when negative).
 */
export function goDurationProblem(text: string): string | undefined {
  let s = text;
  const neg = s.startsWith('-');
  if (neg || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return undefined;
  if (s === '') return 'no number';
  const tooLong = 'longer than Go durations go (about 292 years)';
  let total = 0n;
  while (s !== '') {
    if (!/^[0-9.]/.test(s)) return `'${s[0]}' where a number should start`;
    const int = /^[0-9]*/.exec(s)![0];
    s = s.slice(int.length);
    let v = 0n;
    for (const c of int) {
      if (v > TWO_63 / 10n) return tooLong;
      v = v * 10n + BigInt(c);
      if (v > TWO_63) return tooLong;
    }
    // Go keeps a fraction's digits while they fit in 63 bits and ignores the rest.
    let f = 0n;
    let scale = 1;
    let frac = '';
    if (s.startsWith('.')) {
      frac = /^[0-9]*/.exec(s.slice(1))![0];
      s = s.slice(1 + frac.length);
      let overflow = false;
      for (const c of frac) {
        if (overflow || f > (TWO_63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c);
        if (y > TWO_63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
    }
    if (int === '' && frac === '') return 'a point without digits';
    const unitText = /^[^0-9.]*/.exec(s)![0];
    s = s.slice(unitText.length);
    if (unitText === '') return 'a number without a unit';
    const unit = GO_DURATION_UNITS[unitText];
    if (unit === undefined) return `unknown unit '${unitText}'`;
    if (v > TWO_63 / unit) return tooLong;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO_63) return tooLong;
    }
    total += v;
    if (total > TWO_63) return tooLong;
  }
  return !neg && total > TWO_63 - 1n ? tooLong : undefined;
}

export interface LockFlags {
  readonly lock: boolean;
  readonly lockTimeout?: string;
}

/** Checks `--no-lock` / `--lock-timeout`; all problems in one {@link UsageError}. */
export function lockFlags(values: { 'no-lock'?: boolean; 'lock-timeout'?: string }): LockFlags {
  const timeout = values['lock-timeout'];
  const problems: string[] = [];
  const durationProblem = timeout === undefined ? undefined : goDurationProblem(timeout);
  if (durationProblem !== undefined) {
    problems.push(`--lock-timeout '${timeout}' is not a duration (${durationProblem}): terraform takes a Go duration, numbers with units ns, us, ms, s, m or h, e.g. 30s, 5m, 1m30s, 1.5h or 0`);
  }
  if (timeout !== undefined && values['no-lock']) problems.push('--lock-timeout and --no-lock cannot be combined: without the lock there is nothing to wait for');
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return { lock: !values['no-lock'], lockTimeout: timeout };
}

export const EXIT_CODES_USAGE = `Exit codes (like terraform plan -detailed-exitcode):
  0  no changes
  1  error (bad input, plan errored, terraform failed)
  2  changes (review them)
  3  blocked: a stateful resource would be destroyed or replaced and its address was not
     passed with --allow-destroy (or listed in an --allow-destroy-file)
  64 usage error`;

export interface ReviewFlags {
  readonly format: Format;
  readonly allowDestroy: readonly string[];
  /** `--allow-destroy-file`s, in order: read (and checked) by {@link printReview} before the plan is loaded. */
  readonly allowDestroyFiles: readonly string[];
  readonly protectTypes: readonly string[];
  readonly title?: string;
}

export function reviewFlags(values: { format?: string; 'allow-destroy'?: string[]; 'allow-destroy-file'?: string[]; 'protect-type'?: string[]; title?: string }): ReviewFlags {
  const format = values.format ?? 'text';
  const problems: string[] = [];
  if (!(FORMATS as readonly string[]).includes(format)) problems.push(notOneOf('--format', format, FORMATS));
  for (const address of values['allow-destroy'] ?? []) {
    const problem = allowAddressProblem(address, 'flag');
    if (problem !== undefined) problems.push(`--allow-destroy ${problem}`);
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return {
    format: format as Format,
    allowDestroy: values['allow-destroy'] ?? [],
    allowDestroyFiles: values['allow-destroy-file'] ?? [],
    protectTypes: values['protect-type'] ?? [],
    title: values.title,
  };
}

/**
 * What the guard lets through: `--allow-destroy` flags first (an address given both ways is credited
 * to the flag), then the entries of the `--allow-destroy-file`s. Throws an AllowListError.
 */
export function allowDestroyEntries(flags: ReviewFlags, cwd: string): AllowDestroy[] {
  const entries = readAllowLists(flags.allowDestroyFiles, cwd);
  return [
    ...flags.allowDestroy.map((address) => ({ address })),
    ...entries.map((e) => ({ address: e.address, origin: `--allow-destroy-file ${e.file} line ${e.line}`, reason: e.reason })),
  ];
}

/**
 * Loads a plan (the loader's {@link PlanInputError}s and the allow-lists' AllowListErrors
 * propagate to the dispatcher: a message, exit 1, never a stack trace), reviews it and prints the
 * review; returns the exit code.
 */
export async function printReview(load: () => Promise<PlanDocument>, flags: ReviewFlags, io: CliIo, refreshOnly = false): Promise<number> {
  return printReviewOf(async (options) => reviewPlan(await load(), options), flags, io, refreshOnly);
}

/**
 * {@link printReview} with the review made by `review` (from the options the flags give; the
 * allow-lists are read and checked first).
 */
export async function printReviewOf(review: (options: ReviewOptions) => Promise<PlanReview>, flags: ReviewFlags, io: CliIo, refreshOnly = false): Promise<number> {
  const allowDestroy = allowDestroyEntries(flags, io.cwd);
  const result = await review({ allowDestroy, protectTypes: flags.protectTypes, refreshOnly });
  if (flags.format === 'json') writeChunks(renderJsonChunks(result), io);
  else io.stdout(render(result, flags.format, { colour: useColour(io.isTty, io.env), title: flags.title }));
  if (result.status === 'blocked') io.stderr(`mlflow-infra: blocked: ${result.blocked.length} stateful resource(s) would be destroyed or replaced (exit 3)\n`);
  if (result.errored) io.stderr('mlflow-infra: the plan errored (errored: true); fix the Terraform errors first\n');
  return result.exitCode;
}

/** Writes `chunks` to stdout in pieces of about 64 KiB (the JSON of a review of a large plan is tens of MiB). */
function writeChunks(chunks: Iterable<string>, io: CliIo): void {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= 1 << 16) {
      io.stdout(pending);
      pending = '';
    }
  }
  if (pending !== '') io.stdout(pending);
}

/** File system errors reading a plan argument as {@link PlanInputError}s (`cannot read <arg>: ...`). */
function readingPlanArgument<T>(arg: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code !== 'string' || !e.syscall) throw err;
    throw new PlanInputError(`cannot read ${arg}: ${readErrorText(e)}`);
  }
}

/**
 * Reviews a plan file or stdin for `-` as it reads it ({@link reviewPlanBytes}: the plan is never
 * held whole, in bytes or parsed); the same review as {@link reviewPlan} of the parsed plan.
 */
export async function reviewPlanArgument(arg: string, io: CliIo, options: ReviewOptions): Promise<PlanReview> {
  if (arg === '-') return reviewPlanBytes(await io.readStdin(), 'stdin', options);
  return readingPlanArgument(arg, () => withPlanFile(path.resolve(io.cwd, arg), (bytes) => reviewPlanBytes(bytes, arg, options)));
}
