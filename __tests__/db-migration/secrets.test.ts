import { fetchDatabaseSecret, parseDatabaseSecret, regionOfArn } from '../../src/db-migration/secrets';
import { recordingRunner } from './recording-runner';

describe('Secrets Manager database secrets', () => {
  test('the stack layout: username, password, host, port (number or string), dbname', () => {
    expect(parseDatabaseSecret('{"username":"mlflow","password":"pw","host":"db.rds","port":5432,"dbname":"mlflow","engine":"postgres"}', 'arn')).toEqual({
      problems: [],
      secret: { username: 'mlflow', password: 'pw', host: 'db.rds', port: '5432', dbname: 'mlflow' },
    });
  });

  test('the RDS-managed layout: username and password only', () => {
    expect(parseDatabaseSecret('{"username":"postgres","password":"pw"}', 'arn').secret).toEqual({ username: 'postgres', password: 'pw' });
  });

  test('problems list keys, never values', () => {
    const noPassword = parseDatabaseSecret('{"username":"u","pass":"hunter2"}', 'my-secret');
    expect(noPassword.problems).toEqual(["secret my-secret has no 'password' (keys present: pass, username)"]);
    expect(parseDatabaseSecret('hunter2', 'my-secret').problems).toEqual([
      'secret my-secret is not JSON (expected {"username": ..., "password": ..., "host": ..., "port": ..., "dbname": ...})',
    ]);
    expect(parseDatabaseSecret('["hunter2"]', 's').problems).toEqual(['secret s is not a JSON object']);
  });

  test('the region comes from the ARN', () => {
    expect(regionOfArn('arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!db-1234')).toBe('eu-central-1');
    expect(regionOfArn('mlflow/db')).toBeUndefined();
  });

  test('fetch runs the aws CLI with --query SecretString and reports its failure', async () => {
    const ok = recordingRunner({ secretString: '{"username":"u","password":"p"}' });
    expect((await fetchDatabaseSecret(ok.runner, 'mlflow/db', { PATH: '/bin', TARGET_PGPASSWORD: 'x' })).secret).toEqual({ username: 'u', password: 'p' });
    expect(ok.calls).toEqual([
      { command: 'aws', args: ['secretsmanager', 'get-secret-value', '--secret-id', 'mlflow/db', '--query', 'SecretString', '--output', 'text'], env: { PATH: '/bin' } },
    ]);
    const missing = recordingRunner();
    expect((await fetchDatabaseSecret(missing.runner, 'mlflow/db', {})).problems).toEqual([
      "cannot read secret mlflow/db: aws exited with 254: An error occurred (ResourceNotFoundException): Secrets Manager can't find the specified secret.",
    ]);
  });
});
