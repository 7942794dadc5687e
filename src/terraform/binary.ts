/**
 * Locating the terraform binary and the AWS provider filesystem mirror. Nothing here downloads:
 * checks that need terraform report loudly when it (or the mirror) is missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InfraError } from '../errors';

/** Raised when terraform or the provider mirror is not available on this machine. */
export class TerraformUnavailableError extends InfraError {}

/** Where the machine image keeps the AWS provider mirror; MLFLOW_INFRA_PROVIDER_MIRROR overrides. */
export const DEFAULT_MIRROR_CANDIDATES = ['/opt/tf-plugins', '/usr/share/terraform/plugins', '/usr/local/share/terraform/plugins'];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * `TERRAFORM_BINARY`, else the first `terraform` on PATH; undefined when there is none. Always an
 * absolute path: a relative `TERRAFORM_BINARY` is resolved against `cwd` (terraform is often run
 * with another working directory, where the relative path would name nothing).
 */
export function findTerraform(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  if (env.TERRAFORM_BINARY) {
    const binary = path.resolve(cwd, env.TERRAFORM_BINARY);
    return isExecutable(binary) ? binary : undefined;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'terraform');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** A mirror directory is one that holds `registry.terraform.io/hashicorp/aws/<version>/<platform>`. */
function holdsAwsProvider(dir: string): boolean {
  const aws = path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  try {
    return fs.readdirSync(aws).some((v) => fs.statSync(path.join(aws, v)).isDirectory());
  } catch {
    return false;
  }
}

/** The provider mirror directory (the folder that contains `registry.terraform.io`), or undefined. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.MLFLOW_INFRA_PROVIDER_MIRROR ? [env.MLFLOW_INFRA_PROVIDER_MIRROR] : DEFAULT_MIRROR_CANDIDATES;
  return candidates.find(holdsAwsProvider);
}

/** The AWS provider versions the mirror holds, e.g. `['5.100.0']`. */
export function mirroredAwsVersions(mirror: string): string[] {
  return fs.readdirSync(path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws')).sort();
}

/** Why real-Terraform checks cannot run (what is missing and how to provide it), or undefined when they can. */
export function terraformUnavailable(env: NodeJS.ProcessEnv = process.env): TerraformUnavailableError | undefined {
  const missing: string[] = [];
  if (!findTerraform(env)) {
    missing.push(env.TERRAFORM_BINARY ? `terraform binary (TERRAFORM_BINARY=${env.TERRAFORM_BINARY} is not an executable file)` : 'terraform binary (not on PATH; set TERRAFORM_BINARY to its path)');
  }
  if (!findProviderMirror(env)) {
    missing.push(
      `AWS provider filesystem mirror (looked in ${(env.MLFLOW_INFRA_PROVIDER_MIRROR ? [env.MLFLOW_INFRA_PROVIDER_MIRROR] : DEFAULT_MIRROR_CANDIDATES).join(', ')}; ` +
        'set MLFLOW_INFRA_PROVIDER_MIRROR to the folder that holds registry.terraform.io/hashicorp/aws)',
    );
  }
  return missing.length > 0 ? new TerraformUnavailableError(`real-Terraform checks cannot run: missing ${missing.join(' and ')}`) : undefined;
}

/** Both or a precise error saying what is missing and how to provide it ({@link terraformUnavailable}). */
export function requireTerraform(env: NodeJS.ProcessEnv = process.env): { terraform: string; mirror: string } {
  const unavailable = terraformUnavailable(env);
  if (unavailable) throw unavailable;
  return { terraform: findTerraform(env)!, mirror: findProviderMirror(env)! };
}

/**
 * CLI configuration that installs providers only from the mirror (nothing is downloaded).
 * `devOverrides` (provider source -> folder of its binary) are run from there without init
 * (src/terraform/direct-provider.ts).
 */
export function cliConfig(mirror: string, devOverrides: Readonly<Record<string, string>> = {}): string {
  const overrides = Object.entries(devOverrides);
  return [
    'provider_installation {',
    ...(overrides.length > 0 ? ['  dev_overrides {', ...overrides.map(([source, dir]) => `    ${JSON.stringify(source)} = ${JSON.stringify(dir)}`), '  }'] : []),
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/*/*"]',
    '  }',
    '}',
    'disable_checkpoint = true',
    '',
  ].join('\n');
}

/** Writes {@link cliConfig} as `<dir>/terraform.rc` and returns its path (for TF_CLI_CONFIG_FILE). */
export function writeCliConfig(dir: string, mirror: string, devOverrides: Readonly<Record<string, string>> = {}): string {
  const file = path.join(dir, 'terraform.rc');
  fs.writeFileSync(file, cliConfig(mirror, devOverrides));
  return file;
}
