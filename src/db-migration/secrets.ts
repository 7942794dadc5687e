/**
 * Reads a database secret from AWS Secrets Manager with the `aws` CLI:
 * `aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text`.
 * The stack's secret holds username/password/host/port/dbname; the RDS-managed master secret only
 * username/password (host, port and dbname then come from flags or the URI). The secret's value
 * never appears in messages.
 */
import { DatabaseSecret, scrubbedEnv } from './connection';
import { failureReason, Runner } from './runner';

/** The region of a Secrets Manager ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>`), if it is one. */
export function regionOfArn(secretId: string): string | undefined {
  return /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:/.exec(secretId)?.[1];
}

/** Parses a SecretString; problems list the keys found, never the values. */
export function parseDatabaseSecret(text: string, label: string): { secret?: DatabaseSecret; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problems: [`secret ${label} is not JSON (expected {"username": ..., "password": ..., "host": ..., "port": ..., "dbname": ...})`] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problems: [`secret ${label} is not a JSON object`] };
  }
  const obj = parsed as Record<string, unknown>;
  const problems: string[] = [];
  const str = (key: string, required: boolean): string | undefined => {
    const v = obj[key];
    if (v === undefined || v === null || v === '') {
      if (required) problems.push(`secret ${label} has no '${key}' (keys present: ${Object.keys(obj).sort().join(', ') || 'none'})`);
      return undefined;
    }
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && key === 'port') return String(v);
    problems.push(`secret ${label} has a non-string '${key}'`);
    return undefined;
  };
  const username = str('username', true);
  const password = str('password', true);
  const host = str('host', false);
  const port = str('port', false);
  const dbname = str('dbname', false);
  if (problems.length > 0) return { problems };
  return { problems, secret: { username: username!, password: password!, host, port, dbname } };
}

export async function fetchDatabaseSecret(
  runner: Runner,
  secretId: string,
  env: NodeJS.ProcessEnv,
): Promise<{ secret?: DatabaseSecret; problems: string[] }> {
  const args = ['secretsmanager', 'get-secret-value', '--secret-id', secretId, '--query', 'SecretString', '--output', 'text'];
  const region = regionOfArn(secretId);
  if (region) args.push('--region', region);
  const result = await runner({ command: 'aws', args, env: scrubbedEnv(env) });
  if (result.code !== 0) return { problems: [`cannot read secret ${secretId}: ${failureReason('aws', result)}`] };
  return parseDatabaseSecret(result.stdout.trim(), secretId);
}
