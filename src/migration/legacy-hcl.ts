/**
 * The legacy Terraform folder, parsed with `@cdktf/hcl2json`: which resources it declares (and with
 * `count` / `for_each`), in which file. The planner uses it to cross-check the state: an instance the
 * code no longer declares, or a declared resource the state does not hold, is reported.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Hcl2Json from '@cdktf/hcl2json';
import { InfraError } from '../errors';

/** The legacy folder cannot be read or parsed. */
export class LegacyHclError extends InfraError {}

/** The HCL parser (Go compiled to WebAssembly, with fs-extra): loaded only when a legacy folder is read. */
function hcl2json(): typeof Hcl2Json {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@cdktf/hcl2json') as typeof Hcl2Json;
}

export interface LegacyDeclaration {
  /** `aws_subnet.public` or `data.aws_ami.this` (root module only). */
  readonly address: string;
  readonly file: string;
  readonly expansion: 'single' | 'count' | 'for_each';
}

export interface LegacyConfig {
  readonly declarations: readonly LegacyDeclaration[];
  /** `module "x"` calls: their resources are not visible without the module source. */
  readonly modules: readonly string[];
}

type Blocks = Record<string, Record<string, Array<Record<string, unknown>>>>;

export async function readLegacyDir(dir: string): Promise<LegacyConfig> {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  } catch (err) {
    throw new LegacyHclError(`--legacy-dir ${dir}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (files.length === 0) throw new LegacyHclError(`--legacy-dir ${dir}: no .tf files`);
  const declarations: LegacyDeclaration[] = [];
  const modules: string[] = [];
  for (const file of files) {
    let json: Record<string, unknown>;
    try {
      json = (await hcl2json().parse(file, fs.readFileSync(path.join(dir, file), 'utf8'))) as Record<string, unknown>;
    } catch (err) {
      throw new LegacyHclError(`--legacy-dir: ${file} is not valid HCL: ${(err as Error).message}`);
    }
    for (const [mode, prefix] of [['resource', ''], ['data', 'data.']] as const) {
      for (const [type, byName] of Object.entries((json[mode] as Blocks | undefined) ?? {})) {
        for (const [name, blocks] of Object.entries(byName)) {
          const block = blocks[0] ?? {};
          const expansion = block.count !== undefined ? 'count' : block.for_each !== undefined ? 'for_each' : 'single';
          declarations.push({ address: `${prefix}${type}.${name}`, file, expansion });
        }
      }
    }
    modules.push(...Object.keys((json.module as Record<string, unknown> | undefined) ?? {}).map((m) => `module.${m}`));
  }
  declarations.sort((a, b) => a.address.localeCompare(b.address));
  return { declarations, modules: modules.sort() };
}
