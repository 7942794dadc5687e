/** Shared test helpers: fixture paths, loading plans, a capturing CliIo. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliIo } from '../../src/cli/command';
import { decodePlanBytes, parsePlan, PlanDocument, PlanInputError } from '../../src/plan-review';
import { ReadBytes } from '../../src/terraform-json/plan-reader';

export const SHARED_PLANS = path.resolve(__dirname, '../../../shared/fixtures/plans');
export const OWN_FIXTURES = path.resolve(__dirname, 'fixtures');
export const CRAFTED = path.join(OWN_FIXTURES, 'crafted_aws_guard_security_moved_forget_tf1.11.4.json');
/**
 * Hand-written edge cases no rehearsal produces: a no-op import, deposed objects, create-then-forget,
 * a read, relevant and deleted drift, sensitive values planted everywhere. Imports and drift as they
 * really come are in the MOTO_* plans below.
 */
export const SYNTHETIC = path.join(OWN_FIXTURES, 'synthetic_import_drift_sensitive_tf1.11.json');
/**
 * Real plans from the cut-over rehearsal (`npm run rehearse -- cutover` against moto; regenerate:
 * docs/rehearsal-cutover.md): the first plan after the migration (imports, moves already in the
 * state), then, after changes made outside Terraform, the `drift` (refresh-only) and `plan` plans.
 */
export const MOTO_IMPORT = path.join(OWN_FIXTURES, 'moto_production_cutover_import_plan.json');
export const MOTO_DRIFT_REFRESH_ONLY = path.join(OWN_FIXTURES, 'moto_production_drift_refresh_only.json');
export const MOTO_DRIFT_PLAN = path.join(OWN_FIXTURES, 'moto_production_drift_plan.json');

export function sharedPlan(prefix: string): string {
  const file = fs.readdirSync(SHARED_PLANS).find((f) => f.startsWith(prefix) && f.endsWith('.json'));
  if (!file) throw new Error(`no shared fixture ${prefix}`);
  return path.join(SHARED_PLANS, file);
}

export function loadPlan(file: string): PlanDocument {
  return parsePlan(decodePlanBytes(fs.readFileSync(file)), path.basename(file));
}

export function allPlanFiles(): string[] {
  return [
    ...fs.readdirSync(SHARED_PLANS).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(SHARED_PLANS, f)),
    CRAFTED,
    SYNTHETIC,
    MOTO_IMPORT,
    MOTO_DRIFT_REFRESH_ONLY,
    MOTO_DRIFT_PLAN,
  ];
}

export interface CapturedIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

export function captureIo(overrides: Partial<CliIo> = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => Buffer.alloc(0),
    isTty: false,
    env: {},
    cwd: process.cwd(),
    ...overrides,
  };
}

/** The message of the {@link PlanInputError} `fn` throws (fails the test if it throws nothing or something else). */
export function inputErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PlanInputError);
    return (err as Error).message;
  }
  throw new Error('expected a PlanInputError');
}

/**
 * A reader of `bytes` from the start that hands them out in small, uneven pieces (1 to
 * `largestPiece` bytes, cycling), as a slow pipe would: what a streaming reader must cope with.
 */
export function piecewiseReader(bytes: Buffer, largestPiece: number): () => ReadBytes {
  return () => {
    let position = 0;
    let turn = 0;
    return (target, offset, length) => {
      const n = Math.min(length, bytes.length - position, 1 + (turn++ % largestPiece));
      bytes.copy(target, offset, position, position + n);
      position += n;
      return n;
    };
  };
}
