/**
 * Secret-like names and values: the one detector shared by config validation (a credential put in
 * `tags` lands in the committed cdk.tf.json and in every resource's tags) and the policy pack
 * (MLF-ECS-14: plain task environment values; resource-level rules reuse the same functions).
 *
 * Detection is by shape, so it can only catch what looks like a credential: a name that says so
 * (password, secret, token, ...) or a value in a credential's known format (AWS access key id,
 * PEM private key, `scheme://user:password@host`, ...). Callers that see Terraform expressions
 * (`${...}`) decide themselves whether an interpolated value counts.
 */

/** Substrings of NAMES that Trivy AVD-AWS-0036 / Terrascan AC_AWS_0095 treat as secrets. */
export const SECRET_NAME_PARTS = ['password', 'secret', 'token', 'api_key', 'apikey', 'private_key', 'aws_access_key_id', 'aws_secret_access_key'];

/**
 * Whether a name (environment variable, tag key) says it holds a secret. Names are compared in
 * snake_case, so `DbPassword`, `db-password` and `DB_PASSWORD` are the same name.
 */
export function secretLikeName(name: string): boolean {
  const n = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  if (n.startsWith('token_type') || n.startsWith('version')) return false;
  return SECRET_NAME_PARTS.some((p) => n.includes(p));
}

/** `scheme://user:password@host`: a URI that carries a password (libpq, JDBC, HTTP basic, ...). */
export const CREDENTIAL_URI = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;

/** Value formats of credentials, each with what it looks like (for the message). */
export const SECRET_VALUE_PATTERNS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a PEM private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: 'a URI with a password (scheme://user:password@host)', pattern: CREDENTIAL_URI },
  { what: 'a password/secret/token assignment', pattern: /\b(?:password|passwd|pwd|secret|token|api[_-]?key)\s*[=:]\s*\S/i },
  { what: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { what: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { what: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/ },
  // 40 characters of base64 with upper case, lower case and digits (a hex digest has no upper case).
  { what: 'an AWS secret access key', pattern: /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/ },
];

/** What a value looks like if it looks like a credential (e.g. "an AWS access key id"), else undefined. */
export function secretLikeValue(value: string): string | undefined {
  return SECRET_VALUE_PATTERNS.find(({ pattern }) => pattern.test(value))?.what;
}

/** Stands in for a secret-like value in messages: the value itself is never echoed. */
export const REDACTED_VALUE = '(redacted)';
