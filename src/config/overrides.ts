/**
 * Values that may be overridden from the environment at synth time, so that CI can pin the image
 * `docker/build-push` just pushed without editing config:
 *
 * - `MLFLOW_IMAGE_DIGEST_<ENV>=sha256:<64 hex>`: run the image by digest (preferred);
 * - `MLFLOW_IMAGE_TAG_<ENV>=<tag>`: run an immutable tag.
 *
 * `<ENV>` is the environment name upper-cased with `-` as `_` (`PRODUCTION`, `STAGING`). A digest
 * wins over a tag. Overridden values are validated like the rest of the config, and a set
 * `MLFLOW_IMAGE_*` variable that no environment reads (`MLFLOW_IMAGE_DIGEST_PROD`) is an error:
 * ignoring it would leave the old image deployed.
 */
import { closest } from './closest';
import { AnyEnvironmentConfig } from './types';
import type { ConfigProblem } from './validate';

/** Every variable whose name starts with this is an image override, and must name an environment. */
export const IMAGE_OVERRIDE_PREFIX = 'MLFLOW_IMAGE_';

export function envKey(environmentName: string): string {
  return environmentName.toUpperCase().replace(/-/g, '_');
}

/** The override variables an environment reads: digest first (it wins), then tag. */
export function imageOverrideVariables(environmentName: string): [digest: string, tag: string] {
  const key = envKey(environmentName);
  return [`${IMAGE_OVERRIDE_PREFIX}DIGEST_${key}`, `${IMAGE_OVERRIDE_PREFIX}TAG_${key}`];
}

export function applyEnvironmentOverrides<T extends AnyEnvironmentConfig>(config: T, env: NodeJS.ProcessEnv): T {
  const [digestVar, tagVar] = imageOverrideVariables(config.name);
  const digest = env[digestVar];
  const tag = env[tagVar];
  if (digest) return { ...config, registry: { ...config.registry, image: { digest } } };
  if (tag) return { ...config, registry: { ...config.registry, image: { tag } } };
  return config;
}

/** One problem per set `MLFLOW_IMAGE_*` variable that none of `configs` reads, naming the allowed ones. */
export function unknownOverrideProblems(configs: readonly AnyEnvironmentConfig[], env: NodeJS.ProcessEnv): ConfigProblem[] {
  const allowed = configs.flatMap((c) => imageOverrideVariables(c.name));
  return Object.keys(env)
    .filter((name) => name.startsWith(IMAGE_OVERRIDE_PREFIX) && env[name] !== undefined && !allowed.includes(name))
    .sort()
    .map((name) => {
      const suggestion = closest(name, allowed);
      return {
        path: `$${name}`,
        value: env[name],
        message: `is not an image override of any environment (it would be ignored, leaving the current image deployed): ${suggestion ? `did you mean ${suggestion}? ` : ''}allowed: ${allowed.join(', ')}`,
      };
    });
}

/** The environments with their overrides applied, and the problems of the override variables themselves. */
export function resolveEnvironments<T extends AnyEnvironmentConfig>(configs: readonly T[], env: NodeJS.ProcessEnv): { configs: T[]; problems: ConfigProblem[] } {
  return { configs: configs.map((c) => applyEnvironmentOverrides(c, env)), problems: unknownOverrideProblems(configs, env) };
}
