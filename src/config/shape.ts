/**
 * The shape check of an environment: its schema (src/config/schema.ts) run at synth, its issues
 * turned into the project's problems (`<env>.<path>: <value> <what is allowed>`). Unknown keys get
 * a "did you mean" and the list of allowed keys; wrong types say what was expected and what came.
 */
import type { z } from 'zod';
import type * as Schema from './schema';
import { closest } from './closest';

/** A shape problem; `unknownKey` marks a key the schema does not have. */
export interface ShapeProblem {
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
  readonly unknownKey?: boolean;
}

type Path = readonly PropertyKey[];

/** Problems with the shape of one environment (unknown keys, wrong types, missing fields). */
export function shapeProblems(config: unknown, env: string): ShapeProblem[] {
  // Loaded on first use: modules that only need validate.ts's helpers (the CLI) do without zod.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { environmentSchemaFor } = require('./schema') as typeof Schema;
  const schema = environmentSchemaFor(config);
  const result = schema.safeParse(config);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => toProblems(issue, [], { config, env, schema }));
}

interface Context {
  readonly config: unknown;
  readonly env: string;
  readonly schema: z.ZodType;
}

/** `production.service.cpu`, `production.network.availabilityZones[1]`. */
export function formatPath(env: string, path: Path): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), env);
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Custom messages in the schema (`error: 'must be ...'`) are already in the house style. */
const HOUSE_STYLE = /^(must|is) /;

function toProblems(issue: z.core.$ZodIssue, base: Path, ctx: Context): ShapeProblem[] {
  const path = [...base, ...issue.path];
  const value = valueAt(ctx.config, path);
  const at = formatPath(ctx.env, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(ctx.schema, path, ctx.config);
      return issue.keys.map((key) => {
        const suggestion = closest(key, allowed);
        const hint = suggestion ? `did you mean "${suggestion}"? ` : '';
        return {
          path: formatPath(ctx.env, [...path, key]),
          value: valueAt(ctx.config, [...path, key]),
          message: `is not a field of ${at}: ${hint}allowed: ${allowed.join(', ')}`,
          unknownKey: true,
        };
      });
    }
    case 'invalid_type': {
      if (HOUSE_STYLE.test(issue.message)) return [{ path: at, value, message: issue.message }];
      const expected = describeType(issue.expected);
      const message = value === undefined ? `is required: ${expected}` : `must be ${expected}, not ${describeValue(value)}`;
      return [{ path: at, value, message }];
    }
    case 'invalid_value': {
      if (HOUSE_STYLE.test(issue.message)) return [{ path: at, value, message: issue.message }];
      const values = issue.values.map((v) => JSON.stringify(v));
      return [{ path: at, value, message: values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}` }];
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator !== undefined) {
        const options = ((issue as { options?: unknown[] }).options ?? []).map((o) => JSON.stringify(o));
        return [{ path: at, value, message: `must be one of ${options.join(', ')}` }];
      }
      // The closest alternative (fewest issues) explains best; a tie gets the schema's own message.
      const counts = issue.errors.map((errors) => errors.length);
      const fewest = Math.min(...counts);
      if (counts.filter((c) => c === fewest).length === 1) {
        return issue.errors[counts.indexOf(fewest)].flatMap((inner) => toProblems(inner, path, ctx));
      }
      return [{ path: at, value, message: HOUSE_STYLE.test(issue.message) ? issue.message : 'does not match any of the allowed shapes' }];
    }
    default:
      return [{ path: at, value, message: HOUSE_STYLE.test(issue.message) ? issue.message : `is not valid: ${issue.message}` }];
  }
}

function describeType(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean (true or false)';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return describeType(typeof value);
}

/** The keys the object schema at `path` allows (unions resolved by the value's discriminator). */
function keysAt(schema: z.ZodType, path: Path, root: unknown): string[] {
  let node: z.ZodType | undefined = schema;
  let value: unknown = root;
  const step = (key: PropertyKey | undefined): void => {
    // Unwrap until an object, array, record or union (optional, nullable, readonly...).
    for (let guard = 0; node && guard < 10; guard++) {
      const def = (node as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
      if (def.type === 'union') {
        // The option the value is meant for: by its discriminator, else the one sharing most keys.
        const options = def.options as z.ZodType[];
        const discriminator = def.discriminator as string | undefined;
        const record = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
        const byTag = discriminator === undefined ? undefined : options.find((o) => (objectShape(o)?.[discriminator] as z.ZodType | undefined)?.safeParse(record[discriminator]).success);
        const shared = (o: z.ZodType) => objectKeys(o).filter((k) => k in record).length;
        node = byTag ?? options.reduce((best, o) => (shared(o) > shared(best) ? o : best), options[0]);
        continue;
      }
      if (def.innerType) {
        node = def.innerType as z.ZodType;
        continue;
      }
      break;
    }
    if (key === undefined || !node) return;
    const def = (node as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
    if (def.type === 'object') node = (def.shape as Record<string, z.ZodType>)[String(key)];
    else if (def.type === 'array') node = def.element as z.ZodType;
    else if (def.type === 'record') node = def.valueType as z.ZodType;
    else node = undefined;
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  };
  for (const key of path) step(key);
  step(undefined);
  return node ? objectKeys(node) : [];
}

function objectShape(schema: z.ZodType): Record<string, unknown> | undefined {
  const def = (schema as unknown as { _zod: { def: { type: string; shape?: Record<string, unknown> } } })._zod.def;
  return def.type === 'object' ? def.shape : undefined;
}

function objectKeys(schema: z.ZodType): string[] {
  return Object.keys(objectShape(schema) ?? {});
}
