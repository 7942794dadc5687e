/**
 * Reading docker/Dockerfile without a Docker engine: instructions (continuations joined, comments
 * dropped), build stages, the directories the final stage creates with their owner and mode, and
 * the paths it declares as volumes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DOCKERFILE = path.resolve(__dirname, '../../docker/Dockerfile');

export interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  return logical.map((l) => {
    const m = /^\s*(\S+)\s*(.*)$/.exec(l)!;
    return { keyword: m[1].toUpperCase(), args: m[2].trim() };
  });
}

/** Instructions grouped by stage; stage 0 holds the global ARGs before the first FROM. */
export function stages(instructions: Instruction[]): Instruction[][] {
  const out: Instruction[][] = [[]];
  for (const i of instructions) {
    if (i.keyword === 'FROM') out.push([]);
    out[out.length - 1].push(i);
  }
  return out;
}

/** The final (runtime) stage of docker/Dockerfile. */
export function finalStage(text = fs.readFileSync(DOCKERFILE, 'utf8')): Instruction[] {
  const all = stages(parseDockerfile(text));
  return all[all.length - 1];
}

export interface ImageDirectory {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  /** Index of the RUN instruction in the stage. */
  readonly index: number;
}

/** Directories a stage creates with `install -d -o <uid> -g <gid> -m <octal mode> <path>...` (the one form the Dockerfile uses). */
export function imageDirectories(stage: Instruction[]): ImageDirectory[] {
  const out: ImageDirectory[] = [];
  stage.forEach((i, index) => {
    if (i.keyword !== 'RUN') return;
    for (const m of i.args.matchAll(/\binstall -d -o (\d+) -g (\d+) -m ([0-7]{3,4})((?: \/[^\s&;|]*)+)/g)) {
      for (const p of m[4].trim().split(/\s+/)) out.push({ path: p, uid: Number(m[1]), gid: Number(m[2]), mode: parseInt(m[3], 8), index });
    }
  });
  return out;
}

/** Paths declared with VOLUME (JSON or plain form), with the instruction's index in the stage. */
export function volumes(stage: Instruction[]): { path: string; index: number }[] {
  return stage.flatMap((i, index) => {
    if (i.keyword !== 'VOLUME') return [];
    const paths: string[] = i.args.startsWith('[') ? (JSON.parse(i.args) as string[]) : i.args.split(/\s+/);
    return paths.map((p) => ({ path: p, index }));
  });
}
