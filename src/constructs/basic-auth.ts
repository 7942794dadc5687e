/**
 * The admin password of MLflow's basic-auth app: a generated password in a Secrets Manager secret
 * (KMS-encrypted), which the runtime injects as MLFLOW_AUTH_ADMIN_PASSWORD. Shared by the App
 * Runner variant (`protection: 'basic-auth'`) and the ECS stack's authenticated API service.
 */
import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Password } from '@cdktf/provider-random/lib/password';
import { suppress } from './suppress';
import { URI_SAFE_SPECIALS } from './database';

export interface BasicAuthAdminSecretProps {
  /** Secrets Manager name. */
  readonly name: string;
  readonly description: string;
  readonly kmsKeyArn: string;
}

/** Creates `admin-password`, `admin-secret` and `admin-secret-value` in `scope`; returns the secret. */
export function basicAuthAdminSecret(scope: Construct, props: BasicAuthAdminSecretProps): SecretsmanagerSecret {
  const password = new Password(scope, 'admin-password', { length: 32, special: true, overrideSpecial: URI_SAFE_SPECIALS });
  const secret = new SecretsmanagerSecret(scope, 'admin-secret', {
    name: props.name,
    description: props.description,
    kmsKeyId: props.kmsKeyArn,
    recoveryWindowInDays: 30,
  });
  new SecretsmanagerSecretVersion(scope, 'admin-secret-value', { secretId: secret.id, secretString: password.result });
  suppress(secret, [
    {
      id: 'MLF-SM-2',
      reason: "MLflow reads the basic-auth admin password only to create its admin user on first start; rotating the secret would not change the password in MLflow's auth database, so it is changed through MLflow's user API.",
    },
  ]);
  return secret;
}
