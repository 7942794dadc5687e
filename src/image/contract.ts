/**
 * The contract between the MLflow image (`docker/`) and the stacks that run it: the environment
 * variables the entrypoint reads, the port, and the container health check. The task definition
 * (and the App Runner service) are built from these values, and the image's tests assert that the
 * entrypoint reads exactly these names, so the two cannot drift apart.
 */

/** Port the MLflow server (gunicorn) listens on inside the container. */
export const CONTAINER_PORT = 5000;

/** Numeric non-root user:group the image declares (`USER`) and the task definition runs as. */
export const IMAGE_USER = '10001:10001';

/**
 * The only writable path: the root filesystem is read-only in the task definition, and a task
 * volume is mounted here (gunicorn's worker heartbeat, the basic-auth config, upload buffers).
 */
export const WRITABLE_DIR = '/tmp';

/** Container name in the task definition. */
export const CONTAINER_NAME = 'mlflow';

/** Environment variable names the entrypoint (`docker/entrypoint.py`) reads. */
export const IMAGE_ENV = {
  /** Database host (RDS endpoint address). */
  dbHost: 'MLFLOW_DB_HOST',
  /** Database port. Default 5432. */
  dbPort: 'MLFLOW_DB_PORT',
  /** Database name. */
  dbName: 'MLFLOW_DB_NAME',
  /** Database user. */
  dbUser: 'MLFLOW_DB_USER',
  /** Database password: injected by ECS `secrets` from Secrets Manager, never in `environment`. */
  dbPassword: 'MLFLOW_DB_PASSWORD',
  /** `require` (default) or stricter (`verify-full`); anything weaker is refused. */
  dbSslMode: 'MLFLOW_DB_SSLMODE',
  /** `proxied` (server proxies artifacts, `--artifacts-destination`) or `direct` (`--default-artifact-root`). */
  artifactsMode: 'MLFLOW_ARTIFACTS_MODE',
  /** Artifacts bucket name. */
  artifactsBucket: 'MLFLOW_ARTIFACTS_BUCKET',
  /** Key prefix inside the bucket, e.g. `mlflow-artifacts/`. */
  artifactsPrefix: 'MLFLOW_ARTIFACTS_PREFIX',
  /** gunicorn worker count. */
  gunicornWorkers: 'MLFLOW_GUNICORN_WORKERS',
  /** gunicorn worker timeout, seconds (below the ALB idle timeout). */
  gunicornTimeout: 'MLFLOW_GUNICORN_TIMEOUT',
  /** `none` (default) or `basic-auth` (MLflow's built-in basic-auth app). */
  authMode: 'MLFLOW_AUTH',
  /** With `basic-auth`: the admin password, injected as a secret. */
  authAdminPassword: 'MLFLOW_AUTH_ADMIN_PASSWORD',
} as const;

/** Where the image installs its health check (`docker/healthcheck.py`). */
export const HEALTH_CHECK_SCRIPT = '/usr/local/bin/mlflow-healthcheck.py';

/**
 * The health check on another path than `/`: `/health` where MLflow's basic-auth app runs (the
 * API service's tasks: `/` answers 401 there). The same script, so the same database login check.
 */
export function healthCheckCommand(path: string): readonly string[] {
  return path === '/' ? HEALTH_CHECK_COMMAND : [...HEALTH_CHECK_COMMAND, '--url', `http://127.0.0.1:${CONTAINER_PORT}${path}`];
}

/**
 * The container health check (`docker/healthcheck.py`, Python: slim images have no curl): healthy
 * when the server answers 200 on `/` AND the database accepts the credentials the container was
 * started with. After RDS rotates an RDS-managed master password the login is rejected, the check
 * fails, and ECS replaces the task; the new task reads the current secret. An unreachable database
 * does not fail it (a new task would not help). The browser service's tasks never run the
 * basic-auth app (the ALB authenticates), so `/` answers 200; the API service's tasks do, and use
 * {@link healthCheckCommand} on {@link BASIC_AUTH_HEALTH_CHECK_PATH}.
 */
export const HEALTH_CHECK_COMMAND: readonly string[] = ['CMD', 'python', HEALTH_CHECK_SCRIPT];

/**
 * ECS container health check timings (seconds). The image's `HEALTHCHECK` uses the same. An
 * unhealthy task is detected within about `intervalSeconds * retries` after a rotation. The
 * timeout covers the HTTP request (3 s) and the database connect timeout (4 s).
 */
export const HEALTH_CHECK_TIMING = { intervalSeconds: 30, timeoutSeconds: 10, retries: 3, startPeriodSeconds: 60 } as const;

/** Path the load balancer health-checks. */
export const HEALTH_CHECK_PATH = '/';

/**
 * Health path when MLflow's basic-auth app is on: it answers `/` with 401, but leaves `/health`
 * (MLflow's own liveness route, "OK") unauthenticated. Used by the App Runner variant with
 * `protection: 'basic-auth'` and the ECS stack's API service (`apiAccess.mode: 'internal-alb'`);
 * everywhere else the check stays on `/`.
 */
export const BASIC_AUTH_HEALTH_CHECK_PATH = '/health';
