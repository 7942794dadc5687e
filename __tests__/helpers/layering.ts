/**
 * The import graph of `src/` and its layering rule (README, "Layering"): each area sits on a layer;
 * a module may import its own area and any area on a lower layer, never one on its own layer
 * (sideways) or above (upward).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SRC = path.resolve(__dirname, '../../src');

/** Lowest first. An area is a folder of src/ or a single file at its top level (without `.ts`). */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors'],
  ['fs-errors', 'interrupt', 'cdktf-internals'],
  ['private-files', 'terraform-json'],
  ['terraform', 'config', 'image'],
  ['constructs'],
  ['stacks'],
  ['app'],
  ['synth'],
  ['policy', 'plan-review', 'migration', 'db-migration'],
  ['policy-check', 'rehearsal'],
  ['cli'],
];

/**
 * Import specifiers of a TypeScript file: `import … from`, side-effect `import '…'`, `export … from`,
 * `require('…')` and `import('…')`. Type-only imports count unless `runtimeOnly` (they are erased
 * at run time but still couple the two modules).
 */
export function importSpecifiers(file: string, runtimeOnly = false): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const type = runtimeOnly ? '(?!type\\s)' : '';
  const patterns = [
    new RegExp(`^\\s*import\\s+${type}[^;]*?from\\s+'([^']+)'`, 'gms'),
    /^\s*import\s+'([^']+)'/gm,
    new RegExp(`^\\s*export\\s+${type}[^;]*?from\\s+'([^']+)'`, 'gms'),
    /\brequire\(\s*'([^']+)'\s*\)/g,
    /\bimport\(\s*'([^']+)'\s*\)/g,
  ];
  return patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));
}

/** The src module a relative specifier names (`x.ts` or `x/index.ts`); undefined for a package. */
export function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`${path.relative(SRC, from)}: cannot resolve ${spec}`);
}

/** Every module `roots` load at run time, each with the packages and built-ins it imports. */
export function runtimeClosure(roots: readonly string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [...roots];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    const external: string[] = [];
    for (const spec of importSpecifiers(file, true)) {
      const local = resolveLocal(file, spec);
      if (local) todo.push(local);
      else external.push(spec);
    }
    seen.set(file, external);
  }
  return seen;
}

/** The .ts files of src/ (or of one folder of it, not descending), sorted. */
export function sourceFiles(dir = ''): string[] {
  const out: string[] = [];
  const walk = (d: string, deep: boolean): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (deep) walk(full, deep);
      } else if (entry.name.endsWith('.ts')) out.push(full);
    }
  };
  walk(path.join(SRC, dir), dir === '');
  return out;
}

export interface ImportEdge {
  /** Importing module, relative to src/, e.g. `migration/apply.ts`. */
  readonly from: string;
  /** Imported module, relative to src/ without extension, e.g. `terraform-json/state`. */
  readonly to: string;
}

/** Every relative import of every module under src/, type-only imports included. */
export function importEdges(): ImportEdge[] {
  return sourceFiles().flatMap((file) =>
    importSpecifiers(file)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => ({
        from: path.relative(SRC, file).split(path.sep).join('/'),
        to: path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep).join('/').replace(/\.(ts|js)$/, ''),
      })),
  );
}

export interface LayeringProblem {
  readonly edge: ImportEdge;
  readonly why: string;
}

export function areaOf(srcRelative: string): string {
  const parts = srcRelative.split('/');
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.ts$/, '');
}

export function layerOf(area: string): number | undefined {
  const i = LAYERS.findIndex((l) => l.includes(area));
  return i < 0 ? undefined : i;
}

/** The edges that break the rule, each with the reason in words. */
export function layeringProblems(edges: readonly ImportEdge[]): LayeringProblem[] {
  const problems: LayeringProblem[] = [];
  for (const edge of edges) {
    if (edge.to.startsWith('..')) {
      problems.push({ edge, why: `imports ${edge.to}, outside src/` });
      continue;
    }
    const a = areaOf(edge.from);
    const b = areaOf(edge.to + '.ts');
    if (a === b) continue;
    const la = layerOf(a);
    const lb = layerOf(b);
    if (la === undefined) problems.push({ edge, why: `area "${a}" has no layer: add it to LAYERS and the README` });
    else if (lb === undefined) problems.push({ edge, why: `area "${b}" has no layer: add it to LAYERS and the README` });
    else if (lb === la) problems.push({ edge, why: `sideways: ${a} and ${b} are both on layer ${la}` });
    else if (lb > la) problems.push({ edge, why: `upward: ${a} (layer ${la}) imports ${b} (layer ${lb})` });
  }
  return problems;
}

export function describeProblem(p: LayeringProblem): string {
  return `src/${p.edge.from} -> src/${p.edge.to}: ${p.why}`;
}
