/** The mutation probe's own logic: what it may mutate, and its deterministic sampling. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const probe = require('../../scripts/mutation-probe.js') as {
  codeOnly: (line: string) => string;
  sample: <T>(items: T[], max: number) => T[];
  mutantsOf: (name: string) => { file: string; line: number; from: string; to: string; mutatedText: string; original: string }[];
  MODULES: Record<string, { files: string[]; suites: string[] }>;
};

test('string contents and comments are blanked (same length), code is kept', () => {
  const line = `  if (a === 'x === y' && b) return "it's"; // a < b`;
  const code = probe.codeOnly(line);
  expect(code).toHaveLength(line.length);
  expect(code).toContain('if (a === ');
  expect(code).toContain(' && b) return ');
  expect(code).not.toContain('x === y');
  expect(code).not.toContain('a < b');
  expect(probe.codeOnly('const s = `a ${"b"} < c`; x < y')).toMatch(/; x < y$/);
});

test('sampling is evenly spaced and repeatable', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  expect(probe.sample(items, 5)).toEqual([0, 2, 4, 6, 8]);
  expect(probe.sample(items, 20)).toEqual(items);
});

test('every mutant of every module changes exactly one line of a file of that module, and every suite exists', () => {
  const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
  const path = jest.requireActual<typeof import('node:path')>('node:path');
  for (const [name, mod] of Object.entries(probe.MODULES)) {
    for (const suite of mod.suites) expect(fs.existsSync(path.resolve(__dirname, '../..', suite))).toBe(true);
    const mutants = probe.mutantsOf(name);
    expect(mutants.length).toBeGreaterThanOrEqual(10);
    for (const m of mutants.slice(0, 25)) {
      const before = m.original.split('\n');
      const after = m.mutatedText.split('\n');
      expect(after).toHaveLength(before.length);
      expect(before.filter((l, i) => l !== after[i])).toEqual([before[m.line - 1]]);
    }
  }
});
