/** Writes `legacy.tfstate` and `stack.tf.json` of a generated migration into `dir` (see generate.js). */
export function generate(dir: string, instances?: number, logShare?: number): { stateFile: string; stackFile: string; logGroups: number; policies: number };
export const LINEAGE: string;
