/**
 * What every runtime (ECS task, App Runner service) gives the MLflow image: the environment the
 * entrypoint reads (`src/image/contract.ts`) and the secrets it injects (which each runtime's role is
 * granted; the artifacts prefix is `ArtifactStorage.grantReadWrite`). ECS and App Runner only differ
 * in how they spell these (lists vs maps).
 */
import { ArtifactsConfig } from '../config/types';
import { IMAGE_ENV, WRITABLE_DIR } from '../image/contract';

export interface MlflowRuntimeSettings {
  readonly database: { readonly host: string; readonly port: number; readonly name: string; readonly username: string; readonly secretArn: string };
  readonly artifacts: ArtifactsConfig;
  readonly bucketName: string;
  readonly gunicornWorkers: number;
  readonly gunicornTimeoutSeconds: number;
  readonly region: string;
  /** MLflow's basic-auth app, with the admin password from this secret (a plain string secret). */
  readonly basicAuthAdminSecretArn?: string;
}

/** Plain environment variables, by name. */
export function mlflowEnvironment(s: MlflowRuntimeSettings): Record<string, string> {
  return {
    [IMAGE_ENV.dbHost]: s.database.host,
    [IMAGE_ENV.dbPort]: String(s.database.port),
    [IMAGE_ENV.dbName]: s.database.name,
    [IMAGE_ENV.dbUser]: s.database.username,
    [IMAGE_ENV.dbSslMode]: 'require',
    [IMAGE_ENV.artifactsMode]: s.artifacts.mode ?? 'proxied',
    [IMAGE_ENV.artifactsBucket]: s.bucketName,
    [IMAGE_ENV.artifactsPrefix]: s.artifacts.prefix,
    [IMAGE_ENV.gunicornWorkers]: String(s.gunicornWorkers),
    [IMAGE_ENV.gunicornTimeout]: String(s.gunicornTimeoutSeconds),
    [IMAGE_ENV.authMode]: s.basicAuthAdminSecretArn ? 'basic-auth' : 'none',
    AWS_DEFAULT_REGION: s.region,
    HOME: WRITABLE_DIR,
  };
}

/** Secrets, by variable name: the Secrets Manager reference each runtime resolves at start. */
export function mlflowSecrets(s: MlflowRuntimeSettings): Record<string, string> {
  return {
    // The JSON key `password` of the database secret (both the stack's secret and RDS-managed ones).
    [IMAGE_ENV.dbPassword]: `${s.database.secretArn}:password::`,
    ...(s.basicAuthAdminSecretArn ? { [IMAGE_ENV.authAdminPassword]: s.basicAuthAdminSecretArn } : {}),
  };
}

/** ARNs of the secrets a runtime must be allowed to read. */
export function mlflowSecretArns(s: MlflowRuntimeSettings): string[] {
  return [s.database.secretArn, ...(s.basicAuthAdminSecretArn ? [s.basicAuthAdminSecretArn] : [])];
}
