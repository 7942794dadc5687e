/**
 * Secrets in the wrong place: a credential in `tags` would land in the committed cdk.tf.json and in
 * every resource's tags, so config validation rejects secret-like tag keys and values, with the
 * field's path and without echoing the value. The detector is shared with the policy pack.
 */
import { production } from '../../src/config/environments/production';
import { secretLikeName, secretLikeValue, CREDENTIAL_URI } from '../../src/config/secret-like';
import { assertValidEnvironments, validateEnvironment } from '../../src/config/validate';

const withTags = (tags: Record<string, string>) => ({ ...production, tags: { ...production.tags, ...tags } });

test.each([
  ['DbPassword', 'x'],
  ['db-password', 'x'],
  ['API_KEY', 'x'],
  ['GitHubToken', 'x'],
  ['ClientSecret', 'x'],
  ['PrivateKey', 'x'],
])('a secret-like tag key (%s) is rejected at its path', (key, value) => {
  const problems = validateEnvironment(withTags({ [key]: value }));
  expect(problems).toEqual([{ path: `production.tags.${key}`, value: key, message: expect.stringMatching(/^is a secret-like tag key .*committed cdk\.tf\.json.*Secrets Manager$/) }]);
});

test.each([
  ['a database URI with a password', 'postgresql://mlflow_user:hunter2@db.internal:5432/mlflow', 'a URI with a password'],
  ['an HTTPS URL with basic-auth credentials', 'https://ci:s3cr3t@artifacts.internal/repo', 'a URI with a password'],
  ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
  ['an AWS secret access key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'an AWS secret access key'],
  ['a password assignment', 'password=hunter2', 'a password/secret/token assignment'],
  ['a GitHub token', `ghp_${'a1B2'.repeat(9)}`, 'a GitHub token'],
  ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----', 'a PEM private key'],
])('a tag value that looks like a credential (%s) is rejected, and never echoed', (_name, value, what) => {
  const bad = withTags({ Note: value });
  expect(validateEnvironment(bad)).toEqual([{ path: 'production.tags.Note', value: '(redacted)', message: expect.stringContaining(`looks like ${what}`) }]);
  expect(() => assertValidEnvironments([bad])).toThrow(/production\.tags\.Note: "\(redacted\)" looks like/);
  try {
    assertValidEnvironments([bad]);
  } catch (err) {
    expect((err as Error).message).not.toContain(value);
  }
});

test('ordinary tags pass: owners, cost centres, URLs without credentials, hex digests, ARNs', () => {
  const fine = withTags({
    Owner: 'ml-platform',
    Runbook: 'https://wiki.internal/mlflow',
    Repo: 'git@github.com:fraud/mlflow-infra.git',
    GitCommit: '0f'.repeat(20),
    KeyArn: 'arn:aws:kms:us-east-1:111111111111:key/0b0c6a8e-6a43-4c1e-9b59-2f6f5c3d9a10',
    TokenType: 'bearer',
  });
  expect(validateEnvironment(fine)).toEqual([]);
});

test('the shared detector: names the trivy/terrascan way in any case style, values by their format', () => {
  for (const name of ['MLFLOW_TRACKING_TOKEN', 'dbPassword', 'Api-Key', 'aws_secret_access_key']) expect(secretLikeName(name)).toBe(true);
  for (const name of ['TOKEN_TYPE', 'VERSION_TOKEN', 'MLFLOW_DB_HOST', 'CostCenter']) expect(secretLikeName(name)).toBe(false);
  expect(secretLikeValue('postgresql://user:pw@host/db')).toBe('a URI with a password (scheme://user:password@host)');
  expect(secretLikeValue('postgresql://user@host/db')).toBeUndefined();
  expect(CREDENTIAL_URI.test('redis://:token@cache:6379')).toBe(true);
  expect(secretLikeValue('fraud-scoring-mlflow')).toBeUndefined();
});
