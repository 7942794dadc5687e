/** Reads `imports/<environment>.json` (the format: `./imports.ts`). The only file I/O of the import definitions. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImportDefinitions, ImportsError, parseImports } from './imports';

/** The repository's `imports/` folder. */
export const IMPORTS_DIR = path.resolve(__dirname, '..', '..', 'imports');

/** Reads and checks `imports/<envName>.json` (no file: no imports). Throws ImportsError naming the field. */
export function loadImports(envName: string, dir: string = IMPORTS_DIR): ImportDefinitions {
  const file = path.join(dir, `${envName}.json`);
  if (!fs.existsSync(file)) return { environment: envName, imports: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ImportsError([`not JSON: ${(err as Error).message}`], path.relative(process.cwd(), file) || file);
  }
  return parseImports(raw, `imports/${envName}.json`, envName);
}
