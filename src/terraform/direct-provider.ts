/**
 * Running the mirror's AWS provider without `terraform init`, through the CLI configuration's
 * `dev_overrides`: terraform starts the provider binary from the given folder and needs neither an
 * installed copy nor a lock file for it.
 *
 * In a temporary offline workspace that init buys nothing: it hashes the 675 MiB provider binary to
 * write a lock file the workspace throws away (and every later plan hashes it again to check that
 * lock), about 1.3 s of a 10,000-instance confirmation's 16 s. Used only where the configuration needs
 * nothing init would do differently: no modules, no provider but hashicorp/aws (resources of other
 * types would need theirs; `terraform_data` is built in), and the version chosen the way init chooses
 * it (the newest mirrored version the configuration's constraint allows). Anything else keeps init.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mirroredAwsVersions } from './binary';
import type { Json } from './offline';

type Version = readonly [number, number, number];

/** `5.100.0` as numbers; undefined for anything else (pre-releases included: init never picks one for a range). */
function parseVersion(text: string): Version | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether `version` meets a Terraform provider version constraint (`>= 5.0, < 6.0`, `~> 5.1`,
 * `= 5.100.0`, `!= 5.1.0`, a bare version); undefined when the constraint is not one this reads (the
 * caller then leaves the choice to `terraform init`).
 */
export function satisfiesConstraint(version: string, constraint: string): boolean | undefined {
  const v = parseVersion(version);
  if (!v) return undefined;
  let ok = true;
  for (const clause of constraint.split(',')) {
    const m = /^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(clause);
    if (!m) return undefined;
    const [, op = '=', major, minor, patch] = m;
    const bound: Version = [Number(major), Number(minor ?? 0), Number(patch ?? 0)];
    const c = compare(v, bound);
    switch (op) {
      case '=':
        ok &&= c === 0;
        break;
      case '!=':
        ok &&= c !== 0;
        break;
      case '>':
        ok &&= c > 0;
        break;
      case '>=':
        ok &&= c >= 0;
        break;
      case '<':
        ok &&= c < 0;
        break;
      case '<=':
        ok &&= c <= 0;
        break;
      default: {
        // ~> allows the rightmost given part to grow: ~> 5.1 is >= 5.1.0, < 6.0.0; ~> 5.1.2 is >= 5.1.2, < 5.2.0.
        const upper: Version = patch !== undefined ? [bound[0], bound[1] + 1, 0] : [bound[0] + 1, 0, 0];
        ok &&= c >= 0 && compare(v, upper) < 0;
      }
    }
  }
  return ok;
}

/** Terraform's name for this machine's platform (`linux_amd64`). */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const archs: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${platform === 'win32' ? 'windows' : platform}_${archs[arch] ?? arch}`;
}

export interface DirectProvider {
  /** The AWS provider version terraform runs. */
  readonly version: string;
  /** The folder holding its binary (the `dev_overrides` entry). */
  readonly dir: string;
}

const AWS_SOURCES = new Set(['hashicorp/aws', 'registry.terraform.io/hashicorp/aws']);

/**
 * The mirrored AWS provider a configuration can run without `terraform init`, or why it cannot
 * (see the module comment). `stack` is the configuration as terraform will see it (random_* already
 * stubbed).
 */
export function directAwsProvider(stack: Json, mirror: string, platform: string = terraformPlatform()): { provider: DirectProvider } | { reason: string } {
  if (stack.module && Object.keys(stack.module).length > 0) return { reason: 'the configuration uses modules' };
  const others = new Set<string>();
  const required: Record<string, Json> = stack.terraform?.required_providers ?? {};
  for (const [name, req] of Object.entries(required)) {
    const source = typeof req === 'string' ? `hashicorp/${name}` : (req?.source ?? `hashicorp/${name}`);
    if (!AWS_SOURCES.has(String(source).toLowerCase())) others.add(String(source));
  }
  for (const name of Object.keys(stack.provider ?? {})) if (name !== 'aws') others.add(name);
  for (const kind of ['resource', 'data'] as const) {
    for (const type of Object.keys(stack[kind] ?? {})) {
      if (type !== 'terraform_data' && !type.startsWith('aws_')) others.add(type.split('_')[0]);
    }
  }
  if (stack.check && Object.keys(stack.check).length > 0) others.add('check blocks');
  if (others.size > 0) return { reason: `the configuration needs more than hashicorp/aws (${[...others].sort().join(', ')})` };
  const req = required.aws;
  const constraint: string | undefined = typeof req === 'string' ? req : req?.version;
  let versions: string[];
  try {
    versions = mirroredAwsVersions(mirror).filter((v) => parseVersion(v));
  } catch {
    return { reason: `${mirror} has no readable hashicorp/aws folder` };
  }
  const allowed: string[] = [];
  for (const v of versions) {
    const ok = constraint === undefined ? true : satisfiesConstraint(v, constraint);
    if (ok === undefined) return { reason: `the version constraint ${JSON.stringify(constraint)} is left to terraform init to read` };
    if (ok) allowed.push(v);
  }
  const newest = allowed.sort((a, b) => compare(parseVersion(b)!, parseVersion(a)!))[0];
  if (!newest) return { reason: `no mirrored hashicorp/aws version meets ${JSON.stringify(constraint)}` };
  const dir = path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', newest, platform);
  let binary = false;
  try {
    binary = fs.readdirSync(dir).some((f) => f.startsWith('terraform-provider-aws'));
  } catch {
    // no such platform folder
  }
  if (!binary) return { reason: `the mirror has no hashicorp/aws ${newest} binary for ${platform}` };
  return { provider: { version: newest, dir } };
}
