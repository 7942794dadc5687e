/**
 * The layering rule of src/ (README, "Layering"), and the two places where it matters most: stacks
 * and constructs do no I/O (what they need from disk, `imports/<env>.json`, the app reads and passes
 * in), and the policy pack learns what it needs from the construct tree, never from the stack class.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { areaOf, describeProblem, importEdges, importSpecifiers, LAYERS, layeringProblems, layerOf, runtimeClosure, sourceFiles, SRC } from './helpers/layering';

describe('the layering rule of src/', () => {
  test('no module imports sideways or upward', () => {
    expect(layeringProblems(importEdges()).map(describeProblem)).toEqual([]);
  });

  test('every area of src/ has a layer, and no area is listed twice', () => {
    const areas = new Set(importEdges().flatMap((e) => [areaOf(e.from), areaOf(e.to + '.ts')]));
    expect([...areas].filter((a) => layerOf(a) === undefined)).toEqual([]);
    const listed = LAYERS.flat();
    expect(listed.length).toBe(new Set(listed).size);
  });

  test('the README states the same layers, in the same order', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
    const section = readme.split('\n## Layering')[1]?.split('\n## ')[0] ?? '';
    const rows = [...section.matchAll(/^\| (\d+) \| ([^|]+) \|/gm)].map((m) => m[2].split(',').map((s) => s.trim().replace(/`/g, '')));
    expect(rows).toEqual(LAYERS.map((l) => [...l]));
  });

  describe('the checker itself', () => {
    test('an upward import is reported with both layers', () => {
      expect(layeringProblems([{ from: 'constructs/network.ts', to: 'policy/pack' }]).map(describeProblem)).toEqual([
        `src/constructs/network.ts -> src/policy/pack: upward: constructs (layer ${layerOf('constructs')}) imports policy (layer ${layerOf('policy')})`,
      ]);
    });

    test('a sideways import between areas on one layer is reported', () => {
      expect(layeringProblems([{ from: 'plan-review/review.ts', to: 'migration/planner' }])[0].why).toBe(`sideways: plan-review and migration are both on layer ${layerOf('migration')}`);
    });

    test('a downward import and an import inside the area pass', () => {
      expect(
        layeringProblems([
          { from: 'cli/commands/plan.ts', to: 'plan-review/review' },
          { from: 'migration/apply.ts', to: 'terraform-json/state' },
          { from: 'migration/apply.ts', to: 'migration/planner' },
          { from: 'synth.ts', to: 'app' },
        ]),
      ).toEqual([]);
    });

    test('an unknown area and an import out of src/ are reported', () => {
      expect(
        layeringProblems([
          { from: 'newthing/x.ts', to: 'config/types' },
          { from: 'cli/main.ts', to: '../package.json' },
        ]).map((p) => p.why),
      ).toEqual(['area "newthing" has no layer: add it to LAYERS and the README', 'imports ../package.json, outside src/']);
    });

    test('the scanner sees imports, requires, re-exports and dynamic imports; type-only imports only when asked', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layering-'));
      try {
        const file = path.join(dir, 'x.ts');
        fs.writeFileSync(file, "import * as fs from 'node:fs';\nimport type { A } from './a';\nimport {\n  b,\n} from './b';\nconst c = require('child_process');\nexport { d } from './d';\nvoid import('./e');\n");
        expect(importSpecifiers(file, true).sort()).toEqual(['./b', './d', './e', 'child_process', 'node:fs']);
        expect(importSpecifiers(file).sort()).toEqual(['./a', './b', './d', './e', 'child_process', 'node:fs']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('stacks and constructs do no I/O', () => {
  const modules = runtimeClosure([...sourceFiles('stacks'), ...sourceFiles('constructs')]);

  test('nothing they load imports a Node built-in (fs, path, child_process, ...)', () => {
    const offenders = [...modules].flatMap(([file, external]) => external.filter((m) => NODE_BUILTINS.has(m)).map((m) => `${path.relative(SRC, file)} imports ${m}`));
    expect(offenders).toEqual([]);
  });

  test('nothing they load is migration, CLI, plan-review or policy code, and no package besides cdktf, constructs, the providers and zod (config validation)', () => {
    const areas = [...modules.keys()].map((f) => path.relative(SRC, f).split(path.sep)[0]).filter((a, i, all) => all.indexOf(a) === i);
    expect(areas.sort()).toEqual(['config', 'constructs', 'errors.ts', 'image', 'stacks', 'terraform-json']);
    const packages = [...new Set([...modules.values()].flat())].filter((m) => !NODE_BUILTINS.has(m));
    expect(packages.filter((m) => !/^(cdktf|constructs|zod|@cdktf\/provider-(aws|random)\/lib\/[a-z0-9-]+)$/.test(m))).toEqual([]);
  });
});

test('the policy pack loads no stack, not even through the app (production comes from construct context)', () => {
  const loaded = [...runtimeClosure([...sourceFiles('policy'), ...sourceFiles('policy/rules')]).keys()].map((f) => path.relative(SRC, f));
  expect(loaded.filter((f) => f.startsWith(`stacks${path.sep}`) || ['app.ts', 'synth.ts'].includes(f))).toEqual([]);
  expect(loaded.map((f) => f.split(path.sep)[0]).filter((a, i, all) => a.endsWith('.ts') || all.indexOf(a) === i).sort()).toEqual(['config', 'constructs', 'policy']);
});
