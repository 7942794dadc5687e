/**
 * `mlflow-infra validate --stack <name>` with the real terraform binary (init and plan, which validates first,
 * offline), one test file per stack (validate.<stack>.test.ts) so that jest can run the stacks on
 * different workers: each takes 10-15 s of CPU, mostly the AWS provider loading its schema.
 * offline.test.ts checks that these files cover exactly the stacks in cdktf.out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { CliIo } from '../../src/cli/command';
import { terraformTest } from '../helpers/terraform';

export const root = path.resolve(__dirname, '../..');

/** The stacks cdktf.out holds. */
export function manifestStacks(): string[] {
  return Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out/manifest.json'), 'utf8')).stacks).sort();
}

/** The stacks that have a validate.<stack>.test.ts beside this file. */
export function stacksWithTestFiles(): string[] {
  return fs
    .readdirSync(__dirname)
    .map((f) => /^validate\.(.+)\.test\.ts$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function captureIo(env: NodeJS.ProcessEnv = process.env): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => Buffer.alloc(0), isTty: false, env, cwd: root };
}

/** The test of one stack: it inits, validates and plans offline with no diagnostics, adding everything and removing nothing. */
export function describeStackValidation(stack: string, expectNotes: readonly string[] = []): void {
  describe(`mlflow-infra validate --stack ${stack}`, () => {
    terraformTest()(`${stack} inits, validates and plans offline with real terraform`, async () => {
      expect(manifestStacks()).toContain(stack);
      const io = captureIo();
      const code = await main(['validate', '--stack', stack, '--json'], io);
      const results = JSON.parse(io.out.join(''));
      expect(results.map((r: { stack: string }) => r.stack)).toEqual([stack]);
      const [r] = results;
      expect({ stack: r.stack, diagnostics: r.diagnostics }).toEqual({ stack, diagnostics: [] });
      expect(r.planned.add).toBeGreaterThan(50);
      expect(r.planned.remove).toBe(0);
      for (const note of expectNotes) expect(r.notes).toContain(note);
      expect(code).toBe(0);
      expect(io.err.join('')).toContain('terraform plan -refresh=false (empty state)');
    });
  });
}
