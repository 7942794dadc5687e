/** Shared test helpers: fixture paths, loading plans, a capturing CliIo. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliIo } from '../../src/cli/command';
import { decodePlanBytes, parsePlan, PlanDocument, PlanInputError } from '../../src/plan-review';

export const SHARED_PLANS = path.resolve(__dirname, '../../../shared/fixtures/plans');
export const OWN_FIXTURES = path.resolve(__dirname, 'fixtures');
export const CRAFTED = path.join(OWN_FIXTURES, 'crafted_aws_guard_security_moved_forget_tf1.11.4.json');
export const SYNTHETIC = path.join(OWN_FIXTURES, 'synthetic_import_drift_sensitive_tf1.11.json');

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
