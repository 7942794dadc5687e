/**
 * The stack trace cdktf records at each token's creation is formatted when it is read, not at
 * creation (formatTokenStackTracesLazily, which synth turns on: a seventh of synth's CPU went to
 * formatting ~1,300 traces that only a failed resolution prints). What it holds is unchanged:
 * the frames where the token was created, as cdktf's own formatting gives them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Lazy, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { formatTokenStackTracesLazily } from '../../src/cdktf-internals';

/** Counts V8's stack-trace formatting (every `.stack` first read goes through Error.prepareStackTrace). */
function countFormatting<T>(fn: () => T): { result: T; formatted: number } {
  const previous = Error.prepareStackTrace;
  let formatted = 0;
  Error.prepareStackTrace = (error, frames) => {
    formatted++;
    return previous ? previous(error, frames) : `${error}\n${frames.map((f) => `    at ${f}`).join('\n')}`;
  };
  try {
    return { result: fn(), formatted };
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function createTokenHere(): string {
  return Lazy.stringValue({
    produce: () => {
      throw new Error('cannot produce');
    },
  });
}

beforeAll(() => formatTokenStackTracesLazily());

test('a token creation stack is not formatted when the token is created, and is when read', () => {
  const created = countFormatting(() => Token.asAny(createTokenHere()));
  expect(created.formatted).toBe(0);
  // The token object behind the string: its creationStack, read as cdktf's error path reads it.
  const lazy = Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] };
  const read = countFormatting(() => lazy.creationStack.join('\n'));
  expect(read.formatted).toBe(1);
  expect(Array.isArray(lazy.creationStack)).toBe(true);
  expect(lazy.creationStack.length).toBeGreaterThan(1);
  expect(lazy.creationStack[0]).not.toMatch(/^\s*at /); // cdktf's format: frames without "at"
  expect(read.result).toContain('token-stack-traces.test.ts');
});

test('a token that fails to resolve still names where it was created', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-tokens-'));
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'tokens');
  new TerraformOutput(stack, 'out', { value: createTokenHere() });
  try {
    expect(() => app.synth()).toThrow(/Resolution error: cannot produce\.\nObject creation stack:\n {2}at [\s\S]*createTokenHere/);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('turning it on twice changes nothing', () => {
  formatTokenStackTracesLazily();
  const lazy = Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] };
  expect(lazy.creationStack.some((line) => line.includes('token-stack-traces.test.ts'))).toBe(true);
});
