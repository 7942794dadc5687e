/** Helpers for values read from JSON (plans, states, import definitions, overrides). */

/** A JSON object: not null, not an array. `T` narrows its members' type for callers that know it. */
export function isObject<T = unknown>(v: unknown): v is Record<string, T> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
