/**
 * Stacks and constructs describe infrastructure and do no I/O: nothing they load (directly or
 * through what they import) reads files, runs processes or reaches the migration tooling; what
 * they need from disk (`imports/<env>.json`) the app reads and passes in. The policy pack learns
 * what it needs from the construct tree (context), never from the stack class.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinModules } from 'node:module';

const SRC = path.resolve(__dirname, '..', '..', 'src');

/** Runtime import specifiers of a TypeScript file (`import type` is erased and not counted). */
export function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  const patterns = [/^\s*import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms, /^\s*import\s+'([^']+)'/gm, /^\s*export\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms, /\brequire\(\s*'([^']+)'\s*\)/g, /\bimport\(\s*'([^']+)'\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs;
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`${path.relative(SRC, from)}: cannot resolve ${spec}`);
}

/** Every src module `roots` load at run time, with the external modules each one imports. */
function closure(roots: readonly string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [...roots];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    const external: string[] = [];
    for (const spec of runtimeImports(file)) {
      const local = resolveLocal(file, spec);
      if (local) todo.push(local);
      else external.push(spec);
    }
    seen.set(file, external);
  }
  return seen;
}

const filesUnder = (dir: string) => fs.readdirSync(path.join(SRC, dir)).filter((f) => f.endsWith('.ts')).map((f) => path.join(SRC, dir, f));
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('stacks and constructs do no I/O', () => {
  const modules = closure([...filesUnder('stacks'), ...filesUnder('constructs')]);

  test('nothing they load imports a Node built-in (fs, path, child_process, ...)', () => {
    const offenders = [...modules].flatMap(([file, external]) => external.filter((m) => NODE_BUILTINS.has(m)).map((m) => `${path.relative(SRC, file)} imports ${m}`));
    expect(offenders).toEqual([]);
  });

  test('nothing they load is migration, CLI, plan-review or policy code, and no package besides cdktf, constructs, the providers and zod (config validation)', () => {
    const areas = [...modules.keys()].map((f) => path.relative(SRC, f).split(path.sep)[0]).filter((a, i, all) => all.indexOf(a) === i);
    expect(areas.sort()).toEqual(['config', 'constructs', 'image', 'stacks', 'terraform-json']);
    const packages = [...new Set([...modules.values()].flat())].filter((m) => !NODE_BUILTINS.has(m));
    expect(packages.filter((m) => !/^(cdktf|constructs|zod|@cdktf\/provider-(aws|random)\/lib\/[a-z0-9-]+)$/.test(m))).toEqual([]);
  });
});

test('the policy pack loads no stack, not even through the app (production comes from construct context)', () => {
  const loaded = [...closure([...filesUnder('policy'), ...filesUnder('policy/rules')]).keys()].map((f) => path.relative(SRC, f));
  expect(loaded.filter((f) => f.startsWith(`stacks${path.sep}`) || ['app.ts', 'synth.ts'].includes(f))).toEqual([]);
  expect(loaded.map((f) => f.split(path.sep)[0]).filter((a, i, all) => a.endsWith('.ts') || all.indexOf(a) === i).sort()).toEqual(['config', 'constructs', 'policy']);
});

test('the import scanner sees imports, requires and dynamic imports, not type-only imports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layering-'));
  try {
    const file = path.join(dir, 'x.ts');
    fs.writeFileSync(file, "import * as fs from 'node:fs';\nimport type { A } from './a';\nimport {\n  b,\n} from './b';\nconst c = require('child_process');\nexport { d } from './d';\nvoid import('./e');\n");
    expect(runtimeImports(file).sort()).toEqual(['./b', './d', './e', 'child_process', 'node:fs']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
