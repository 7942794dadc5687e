/**
 * What a credential looks like in a plain value: the patterns the policy rules share (task
 * environment values, App Runner runtime variables, tag values). Standard library only, no cdktf.
 */

/** `scheme://user:password@host`, the password non-empty (the user may be empty: `redis://:pw@host`). */
const CREDENTIAL_URI = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i;

/** Values that are credentials whatever they are called (credential URIs apart: {@link credentialUri}). */
export const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/, // PEM private key
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, // JWT
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, // GitHub token
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack token
  /\bglpat-[A-Za-z0-9_-]{20,}\b/, // GitLab token
];

/** The `scheme://user:***@host` form of a value with a credential URI (for messages), or undefined. */
export function credentialUri(value: string): string | undefined {
  const match = CREDENTIAL_URI.exec(value);
  if (!match) return undefined;
  const head = match[0];
  const colon = head.indexOf(':', head.indexOf('://') + 3);
  return `${head.slice(0, colon + 1)}***@`;
}

function entropyBitsPerChar(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/**
 * A random-looking token: one word of at least 20 characters from a password/key alphabet mixing
 * lower case, upper case and digits, with high character entropy (names, ARNs, ids and dates do not).
 */
export function highEntropyToken(value: string): boolean {
  return (
    value.length >= 20 &&
    /^[A-Za-z0-9+/=_\-.~!#$%^&*]+$/.test(value) &&
    /[a-z]/.test(value) &&
    /[A-Z]/.test(value) &&
    /[0-9]/.test(value) &&
    entropyBitsPerChar(value) >= 3.5
  );
}

/** Why a plain value looks like a credential (a short description, never the value), or undefined. */
export function secretLikeValue(value: string): string | undefined {
  if (credentialUri(value)) return `a URI with an embedded password (${credentialUri(value)})`;
  if (SECRET_VALUE_PATTERNS.some((re) => re.test(value))) return 'a known credential format (access key, private key, token)';
  if (highEntropyToken(value)) return 'a random-looking token';
  return undefined;
}
