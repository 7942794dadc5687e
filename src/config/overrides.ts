/**
 * Values that may be overridden from the environment at synth time, so that CI can pin the image
 * `docker/build-push` just pushed without editing config:
 *
 * - `MLFLOW_IMAGE_DIGEST_<ENV>=sha256:<64 hex>`: run the image by digest (preferred);
 * - `MLFLOW_IMAGE_TAG_<ENV>=<tag>`: run an immutable tag.
 *
 * `<ENV>` is the environment name upper-cased with `-` as `_` (`PRODUCTION`, `STAGING`). A digest
 * wins over a tag. Overridden values are validated like the rest of the config.
 */
import { AnyEnvironmentConfig } from './types';

export function envKey(environmentName: string): string {
  return environmentName.toUpperCase().replace(/-/g, '_');
}

export function applyEnvironmentOverrides<T extends AnyEnvironmentConfig>(config: T, env: NodeJS.ProcessEnv): T {
  const key = envKey(config.name);
  const digest = env[`MLFLOW_IMAGE_DIGEST_${key}`];
  const tag = env[`MLFLOW_IMAGE_TAG_${key}`];
  if (digest) return { ...config, registry: { ...config.registry, image: { digest } } };
  if (tag) return { ...config, registry: { ...config.registry, image: { tag } } };
  return config;
}
