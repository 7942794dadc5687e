/** Writes a deterministic plan JSON of `resources` resource changes to `file` (see generate.js). */
export function generate(file: string, resources: number): void;
