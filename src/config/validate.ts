/**
 * Validation of environment configs. Every check reports the field's path, the bad value and what
 * is allowed; all problems of all environments are collected and reported together, before any
 * stack is built, so a bad config never leaves half-written output.
 */
import { AnyEnvironmentConfig, AppRunnerEnvironmentConfig, EcsEnvironmentConfig, isAppRunner } from './types';
import { shapeProblems } from './shape';
import { REDACTED_VALUE, secretLikeName, secretLikeValue } from './secret-like';
import { ALARM_THRESHOLD_RANGES, apiAccessSettings, apiAutoscalingSettings, appRunnerValidationRecords, autoscalingSettings, ResolvedAutoscaling, wafSettings } from './defaults';
import { cidrContains, cidrsOverlap, parseCidr } from './cidr';
import { InfraError } from '../errors';

export interface ConfigProblem {
  /**
   * Dotted path, starting with the environment name, e.g. `production.network.vpcCidr`; for an
   * environment variable, its name after `$` (`$MLFLOW_IMAGE_DIGEST_PROD`).
   */
  readonly path: string;
  readonly value: unknown;
  /** What is allowed (or what is wrong). */
  readonly message: string;
}

export class ConfigError extends InfraError {
  constructor(public readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
  }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.path}: ${JSON.stringify(p.value)} ${p.message}`);
  return `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

/** CloudWatch Logs' allowed retention values (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Fargate CPU units -> allowed memory (MiB). */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

const ECR_REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** ECR repository names: 2-256 characters, lower-case components of letters, digits and `._-`, separated by `/`. */
export function isEcrRepositoryName(name: string): boolean {
  return name.length >= 2 && name.length <= 256 && ECR_REPOSITORY_NAME.test(name);
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Characters EC2 accepts in security group descriptions. */
const SG_DESCRIPTION = /^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/;

/** S3 bucket naming rules (general purpose buckets). Returns what is wrong, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'may contain only lower-case letters, digits, dots and hyphens, and must start and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-')) return 'must not start with "xn--" or "sthree-"';
  if (name.endsWith('-s3alias') || name.endsWith('--ol-s3')) return 'must not end with "-s3alias" or "--ol-s3"';
  return undefined;
}

/** Domain name shape: at least two DNS labels, lower-case. */
export function domainNameProblem(name: string): string | undefined {
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) {
    return 'must be a lower-case DNS name of two or more labels (letters, digits, hyphens), e.g. "example.com"';
  }
  return undefined;
}

/** The checks every section uses; each failed check adds one problem with the full path. */
export interface Checker {
  check(ok: boolean, path: string, value: unknown, message: string): void;
  int(value: number, path: string, min: number, max: number): void;
  oneOf<T>(value: T, path: string, allowed: readonly T[]): void;
  bucket(value: string, path: string): void;
}

function createChecker(env: string, problems: ConfigProblem[]): Checker {
  const check = (ok: boolean, path: string, value: unknown, message: string) => {
    if (!ok) problems.push({ path: `${env}.${path}`, value, message });
  };
  return {
    check,
    int: (value, path, min, max) =>
      check(Number.isInteger(value) && value >= min && value <= max, path, value, `must be a whole number from ${min} to ${max}`),
    oneOf: (value, path, allowed) => check(allowed.includes(value), path, value, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`),
    bucket: (value, path) => {
      const problem = bucketNameProblem(value);
      check(problem === undefined, path, value, `is not a valid S3 bucket name: ${problem}`);
    },
  };
}

/**
 * Collects problems for one environment. Paths start with `config.name`. The shape (unknown keys,
 * types, required fields: the schema in schema.ts) and the values (formats, ranges, relations) are
 * checked together. Synth runs TypeScript without a type check, so `config` may be anything.
 */
export function validateEnvironment(config: AnyEnvironmentConfig): ConfigProblem[] {
  const name = (config as { name?: unknown } | null)?.name;
  const env = typeof name === 'string' && name !== '' ? name : '<unnamed>';
  const shape = shapeProblems(config, env);
  const values: ConfigProblem[] = [];
  const checker = createChecker(env, values);
  const parts = [
    () => checkValues(config, checker),
    () => (isAppRunner(config) ? validateAppRunner(config, checker) : validateEcs(config, checker, values)),
    () => validateOperations(config, checker),
  ];
  for (const part of parts) {
    try {
      part();
    } catch (err) {
      // The value checks read the shape the schema describes: with a broken shape, a part may stop
      // at the first field it cannot read. Every shape problem is reported (fixing them lets every
      // check run to the end); the other parts, and what this one found until then, still count.
      if (shape.length === 0) throw err;
    }
  }
  return mergeProblems(shape, values);
}

/**
 * Shape and value problems of one environment. A value problem at (or under) a field whose shape is
 * wrong is dropped (it only repeats the type error); at an unknown key, the value check's own
 * message (written for that key, e.g. `edge.auth` on App Runner) replaces the generic one.
 */
function mergeProblems(shape: readonly (ConfigProblem & { unknownKey?: boolean })[], values: readonly ConfigProblem[]): ConfigProblem[] {
  const within = (path: string, parent: string) => path === parent || path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
  const explained = new Set(values.map((v) => v.path));
  const kept = shape.filter((s) => !(s.unknownKey && explained.has(s.path)));
  const typed = kept.filter((s) => !s.unknownKey);
  const out: ConfigProblem[] = kept.map(({ path, value, message }) => ({ path, value, message }));
  for (const v of values) {
    if (typed.some((s) => within(v.path, s.path))) continue;
    if (out.some((o) => o.path === v.path && o.message === v.message)) continue;
    out.push(v);
  }
  return out;
}

/** The value checks every runtime shares (formats, ranges, relations). */
function checkValues(config: AnyEnvironmentConfig, checker: Checker): void {
  const { check, int, oneOf, bucket } = checker;

  // Identity
  check(/^[a-z][a-z0-9-]{1,20}$/.test(config.name), 'name', config.name, 'must be 2-21 lower-case letters, digits or hyphens, starting with a letter');
  check(config.stackName === `mlflow-${config.name}`, 'stackName', config.stackName, `must be "mlflow-${config.name}" (stack names are a contract with scripts and Terraform Cloud workspaces)`);
  check(/^[a-z][a-z0-9-]{1,30}$/.test(config.project), 'project', config.project, 'must be 2-31 lower-case letters, digits or hyphens, starting with a letter');
  check(/^[a-z][a-z0-9-]{1,40}$/.test(config.namePrefix), 'namePrefix', config.namePrefix, 'must be 2-41 lower-case letters, digits or hyphens, starting with a letter');
  check(/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(config.region), 'region', config.region, 'must be an AWS region code such as "us-east-1"');
  check(/^\d{12}$/.test(config.accountId), 'accountId', config.accountId, 'must be a 12-digit AWS account id');
  check(/^[<>=~!]*\s*5\./.test(config.awsProviderVersion) || /5\.\d/.test(config.awsProviderVersion), 'awsProviderVersion', config.awsProviderVersion, 'must allow the AWS provider 5.x (the major version of the existing state), e.g. ">= 5.0, < 6.0"');
  for (const [key, value] of Object.entries(config.tags ?? {})) {
    check(key.length >= 1 && key.length <= 128 && !key.startsWith('aws:'), `tags.${key}`, key, 'tag keys must be 1-128 characters and must not start with "aws:"');
    check(value.length <= 256, `tags.${key}`, value, 'tag values must be at most 256 characters');
    // Tags land in the committed cdk.tf.json and on every resource: never a credential.
    check(!secretLikeName(key), `tags.${key}`, key, 'is a secret-like tag key (it names a password, secret, token or key): tags are written to the committed cdk.tf.json and to every resource; keep credentials in Secrets Manager');
    const secret = secretLikeValue(value);
    check(secret === undefined, `tags.${key}`, REDACTED_VALUE, `looks like ${secret} (value not shown): tags are written to the committed cdk.tf.json and to every resource; keep credentials in Secrets Manager`);
  }

  // Backend
  const backend = config.backend;
  switch (backend.type) {
    case 'local':
      check(backend.path.length > 0 && !backend.path.startsWith('/') && !/^[A-Za-z]:/.test(backend.path), 'backend.path', backend.path, 'must be a relative path (synthesized output must not contain absolute paths)');
      break;
    case 's3':
      bucket(backend.bucket, 'backend.bucket');
      check(backend.key.length > 0 && !backend.key.startsWith('/'), 'backend.key', backend.key, 'must be a non-empty object key without a leading "/"');
      check(/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(backend.region), 'backend.region', backend.region, 'must be an AWS region code such as "us-east-1"');
      break;
    case 'cloud':
      check(/^[A-Za-z0-9_-]{3,40}$/.test(backend.organization), 'backend.organization', backend.organization, 'must be a Terraform Cloud organization name (3-40 letters, digits, "-" or "_")');
      check(/^[A-Za-z0-9_-]{1,90}$/.test(backend.workspace), 'backend.workspace', backend.workspace, 'must be a Terraform Cloud workspace name (letters, digits, "-" or "_", at most 90)');
      break;
    default:
      check(false, 'backend.type', (backend as { type: unknown }).type, 'must be one of "local", "s3", "cloud"');
  }

  // Network
  const net = config.network;
  const vpc = parseCidr(net.vpcCidr);
  check(vpc !== undefined && vpc.prefix >= 16 && vpc.prefix <= 28, 'network.vpcCidr', net.vpcCidr, 'must be an IPv4 CIDR block with a prefix from /16 to /28, e.g. "10.20.0.0/16"');
  check(net.availabilityZones.length >= 2, 'network.availabilityZones', net.availabilityZones, 'must list at least 2 availability zones (the ALB and RDS subnet group need two)');
  check(new Set(net.availabilityZones).size === net.availabilityZones.length, 'network.availabilityZones', net.availabilityZones, 'must not repeat an availability zone');
  net.availabilityZones.forEach((az, i) =>
    check(new RegExp(`^${config.region}[a-z]$`).test(az), `network.availabilityZones[${i}]`, az, `must be an availability zone of ${config.region}, e.g. "${config.region}a"`),
  );
  const subnets: { path: string; cidr: string }[] = [];
  for (const kind of ['publicSubnetCidrs', 'privateSubnetCidrs'] as const) {
    const list = net[kind];
    check(list.length === net.availabilityZones.length, `network.${kind}`, list, `must have one CIDR per availability zone (${net.availabilityZones.length}), got ${list.length}`);
    list.forEach((cidr, i) => {
      const parsed = parseCidr(cidr);
      const path = `network.${kind}[${i}]`;
      if (!parsed) {
        check(false, path, cidr, 'must be an IPv4 CIDR block such as "10.20.0.0/24"');
        return;
      }
      check(parsed.prefix >= 16 && parsed.prefix <= 28, path, cidr, 'must have a prefix from /16 to /28 (AWS subnet sizes)');
      if (vpc) check(cidrContains(vpc, parsed), path, cidr, `must lie inside the VPC CIDR ${net.vpcCidr}`);
      subnets.push({ path, cidr });
    });
  }
  for (let a = 0; a < subnets.length; a++) {
    for (let b = a + 1; b < subnets.length; b++) {
      const x = parseCidr(subnets[a].cidr)!;
      const y = parseCidr(subnets[b].cidr)!;
      check(!cidrsOverlap(x, y), subnets[b].path, subnets[b].cidr, `overlaps ${subnets[a].path} (${subnets[a].cidr})`);
    }
  }
  const routes = net.clientRoutes ?? [];
  routes.forEach((route, i) => {
    const path = `network.clientRoutes[${i}]`;
    const parsed = parseCidr(route.cidr);
    check(parsed !== undefined && parsed.prefix >= 8, `${path}.cidr`, route.cidr, 'must be an IPv4 CIDR block with a prefix of /8 or longer (the default route belongs to the NAT gateway), e.g. "10.100.0.0/16"');
    if (parsed && vpc) check(!cidrContains(vpc, parsed), `${path}.cidr`, route.cidr, `must not lie inside the VPC CIDR ${net.vpcCidr} (the local route serves it)`);
    check(routes.findIndex((r) => r.cidr === route.cidr) === i, `${path}.cidr`, route.cidr, 'is already routed by an earlier entry (a route table has one route per destination)');
    const targets = [route.transitGatewayId, route.vpcPeeringConnectionId].filter((t) => t !== undefined);
    check(targets.length === 1, path, route, 'must name exactly one target: transitGatewayId ("tgw-…") or vpcPeeringConnectionId ("pcx-…")');
    if (route.transitGatewayId !== undefined) check(/^tgw-[0-9a-f]{8,17}$/.test(route.transitGatewayId), `${path}.transitGatewayId`, route.transitGatewayId, 'must be a transit gateway id such as "tgw-0123456789abcdef0"');
    if (route.vpcPeeringConnectionId !== undefined) check(/^pcx-[0-9a-f]{8,17}$/.test(route.vpcPeeringConnectionId), `${path}.vpcPeeringConnectionId`, route.vpcPeeringConnectionId, 'must be a VPC peering connection id such as "pcx-0123456789abcdef0"');
  });
  oneOf(net.natGateways, 'network.natGateways', ['single', 'per-az'] as const);
  oneOf(net.flowLogRetentionDays, 'network.flowLogRetentionDays', LOG_RETENTION_DAYS);

  // Database
  const db = config.database;
  oneOf(db.engine, 'database.engine', ['postgres', 'aurora-postgresql'] as const);
  check(/^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(db.identifier) && !db.identifier.endsWith('-'), 'database.identifier', db.identifier, 'must be 1-63 lower-case letters, digits or hyphens, start with a letter, and not end with a hyphen or contain "--"');
  check(
    /^\d+$/.test(db.engineVersion) && Number(db.engineVersion) >= 13,
    'database.engineVersion',
    db.engineVersion,
    'must be a PostgreSQL major version 13 or later, e.g. "15": RDS upgrades the minor version automatically (auto_minor_version_upgrade), so a pinned minor would make the next plan try to downgrade',
  );
  check(/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(db.name), 'database.name', db.name, 'must be 1-63 letters, digits or underscores, starting with a letter');
  check(/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(db.username) && !['rdsadmin', 'rdsrepladmin'].includes(db.username), 'database.username', db.username, 'must be 1-63 letters, digits or underscores, start with a letter, and not be an RDS reserved name');
  if (db.engine === 'postgres') {
    check(/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(db.instanceClass) && db.instanceClass !== 'db.serverless', 'database.instanceClass', db.instanceClass, 'must be an RDS instance class such as "db.t3.micro" or "db.r6g.large"');
    int(db.allocatedStorageGiB, 'database.allocatedStorageGiB', 20, 65536);
    check(db.maxAllocatedStorageGiB >= db.allocatedStorageGiB, 'database.maxAllocatedStorageGiB', db.maxAllocatedStorageGiB, `must be at least allocatedStorageGiB (${db.allocatedStorageGiB})`);
    check(db.aurora === undefined, 'database.aurora', db.aurora, 'is only allowed with engine "aurora-postgresql"');
  } else {
    check(db.aurora !== undefined, 'database.aurora', db.aurora, 'is required with engine "aurora-postgresql" (minCapacityAcu, maxCapacityAcu, instances)');
    check(!db.multiAz, 'database.multiAz', db.multiAz, 'must be false with Aurora: Aurora spreads instances across AZs instead (set database.aurora.instances to 2 or more)');
    if (db.aurora) {
      const { minCapacityAcu: min, maxCapacityAcu: max, instances } = db.aurora;
      check(min >= 0 && min <= 256 && Number.isInteger(min * 2), 'database.aurora.minCapacityAcu', min, 'must be from 0 to 256 in steps of 0.5');
      check(max >= 1 && max <= 256 && Number.isInteger(max * 2), 'database.aurora.maxCapacityAcu', max, 'must be from 1 to 256 in steps of 0.5');
      check(min <= max, 'database.aurora.minCapacityAcu', min, `must not exceed maxCapacityAcu (${max})`);
      int(instances, 'database.aurora.instances', 1, 15);
      if (config.production) check(instances >= 2, 'database.aurora.instances', instances, 'must be at least 2 in production (a reader in another AZ to fail over to)');
    }
    check(db.storageKms === 'customer-managed', 'database.storageKms', db.storageKms, 'must be "customer-managed" with Aurora (a new cluster is encrypted with the stack key)');
  }
  int(db.backupRetentionDays, 'database.backupRetentionDays', 1, 35);
  oneOf(db.passwordMode, 'database.passwordMode', ['random', 'rds-managed'] as const);
  if (db.passwordSpecialCharacters !== undefined) {
    check(!/[/@"\s]/.test(db.passwordSpecialCharacters), 'database.passwordSpecialCharacters', db.passwordSpecialCharacters, 'must not contain "/", "@", \'"\' or spaces (RDS rejects them in master passwords)');
  }
  oneOf(db.storageKms, 'database.storageKms', ['aws-managed', 'customer-managed'] as const);
  check(/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(db.secretName), 'database.secretName', db.secretName, 'must be 1-512 characters from letters, digits and /_+=.@-');
  check(/^[a-z0-9][a-z0-9 ._-]{0,254}$/.test(db.subnetGroupName), 'database.subnetGroupName', db.subnetGroupName, 'must be lower-case letters, digits, spaces, ".", "_" or "-", at most 255');
  const pi = db.performanceInsightsRetentionDays;
  check(pi === 7 || (Number.isInteger(pi) && pi % 31 === 0 && pi >= 31 && pi <= 713) || pi === 731, 'database.performanceInsightsRetentionDays', pi, 'must be 7, a multiple of 31 from 31 to 713, or 731');
  if (config.production) {
    check(db.deletionProtection, 'database.deletionProtection', db.deletionProtection, 'must be true in production');
    check(db.finalSnapshot, 'database.finalSnapshot', db.finalSnapshot, 'must be true in production');
    check(db.backupRetentionDays >= 7, 'database.backupRetentionDays', db.backupRetentionDays, 'must be at least 7 in production');
  }

  // Artifacts
  const art = config.artifacts;
  bucket(art.bucketName, 'artifacts.bucketName');
  bucket(art.accessLogsBucketName, 'artifacts.accessLogsBucketName');
  check(art.accessLogsBucketName !== art.bucketName, 'artifacts.accessLogsBucketName', art.accessLogsBucketName, 'must differ from artifacts.bucketName');
  check(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/.test(art.prefix), 'artifacts.prefix', art.prefix, 'must be a key prefix without a leading "/", ending in "/", e.g. "mlflow-artifacts/"');
  check(Number.isInteger(art.transitionToIaDays) && art.transitionToIaDays >= 30, 'artifacts.transitionToIaDays', art.transitionToIaDays, 'must be a whole number of at least 30 (S3 keeps objects 30 days in STANDARD before STANDARD_IA)');
  check(Number.isInteger(art.transitionToGlacierDays) && art.transitionToGlacierDays >= art.transitionToIaDays + 30, 'artifacts.transitionToGlacierDays', art.transitionToGlacierDays, `must be at least transitionToIaDays + 30 (${art.transitionToIaDays + 30}): S3 keeps objects 30 days in STANDARD_IA`);
  int(art.noncurrentVersionExpirationDays, 'artifacts.noncurrentVersionExpirationDays', 1, 3650);
  int(art.accessLogRetentionDays, 'artifacts.accessLogRetentionDays', 1, 3650);
  if (art.mode !== undefined) oneOf(art.mode, 'artifacts.mode', ['direct', 'proxied'] as const);
  if (config.production) check(art.forceDestroy !== true, 'artifacts.forceDestroy', art.forceDestroy, 'must not be true in production (a destroy would delete every artifact)');

  // Registry
  const reg = config.registry;
  check(isEcrRepositoryName(reg.repositoryName), 'registry.repositoryName', reg.repositoryName, 'must be an ECR repository name: 2-256 lower-case letters, digits and "._-" separated by "/"');
  int(reg.untaggedExpiryDays, 'registry.untaggedExpiryDays', 1, 365);
  if ('digest' in reg.image) {
    check(/^sha256:[a-f0-9]{64}$/.test(reg.image.digest), 'registry.image.digest', reg.image.digest, 'must be "sha256:" followed by 64 lower-case hex digits (the digest docker/build-push prints)');
  } else {
    check(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(reg.image.tag) && reg.image.tag !== 'latest', 'registry.image.tag', reg.image.tag, 'must be an immutable image tag (1-128 of letters, digits, "_.-"), not "latest"');
  }
}

/** The ECS runtime: service, authenticating ALB edge, autoscaling, programmatic access. */
function validateEcs(config: EcsEnvironmentConfig, checker: Checker, problems: ConfigProblem[]): void {
  const { check, int, oneOf } = checker;
  const env = config.name || '<unnamed>';
  // Service
  const svc = config.service;
  const memory = FARGATE_MEMORY[svc.cpu];
  check(memory !== undefined, 'service.cpu', svc.cpu, `must be one of the Fargate CPU values ${Object.keys(FARGATE_MEMORY).join(', ')}`);
  if (memory) check(memory.includes(svc.memoryMiB), 'service.memoryMiB', svc.memoryMiB, `is not a valid Fargate memory size for cpu ${svc.cpu}: allowed ${memory[0]}..${memory[memory.length - 1]} MiB (${memory.length} values)`);
  oneOf(svc.cpuArchitecture, 'service.cpuArchitecture', ['X86_64', 'ARM64'] as const);
  int(svc.desiredCount, 'service.desiredCount', 1, 100);
  if (config.production) check(svc.desiredCount >= 2, 'service.desiredCount', svc.desiredCount, 'must be at least 2 in production (one task per AZ behind the ALB)');
  for (const key of ['clusterName', 'serviceName', 'taskFamily'] as const) {
    check(/^[A-Za-z0-9_-]{1,255}$/.test(svc[key]), `service.${key}`, svc[key], 'must be 1-255 letters, digits, hyphens or underscores');
  }
  check(/^[A-Za-z0-9_\-/.#]{1,512}$/.test(svc.logGroupName), 'service.logGroupName', svc.logGroupName, 'must be 1-512 characters from letters, digits and _-/.#');
  oneOf(svc.logRetentionDays, 'service.logRetentionDays', LOG_RETENTION_DAYS);
  if (config.production) check(svc.logRetentionDays >= 365, 'service.logRetentionDays', svc.logRetentionDays, 'must be at least 365 in production (scanners require a year of logs)');
  for (const key of ['executionRoleName', 'taskRoleName'] as const) {
    check(/^[A-Za-z0-9+=,.@_-]{1,64}$/.test(svc[key]), `service.${key}`, svc[key], 'must be an IAM role name: 1-64 characters from letters, digits and +=,.@_-');
  }
  int(svc.gunicornWorkers, 'service.gunicornWorkers', 1, 64);
  int(svc.gunicornTimeoutSeconds, 'service.gunicornTimeoutSeconds', 30, 3600);
  check(svc.gunicornTimeoutSeconds < config.edge.idleTimeoutSeconds, 'service.gunicornTimeoutSeconds', svc.gunicornTimeoutSeconds, `must be below edge.idleTimeoutSeconds (${config.edge.idleTimeoutSeconds}) so the ALB never cuts a request gunicorn is still serving`);
  int(svc.healthCheckGracePeriodSeconds, 'service.healthCheckGracePeriodSeconds', 0, 7200);
  int(svc.ephemeralStorageGiB, 'service.ephemeralStorageGiB', 21, 200);

  // Edge
  const edge = config.edge;
  validateEdgeDomain(edge, checker);
  if (edge.certificate.mode === 'existing') {
    const arnPattern = new RegExp(`^arn:aws[a-z-]*:acm:${config.region}:\\d{12}:certificate/[0-9a-f-]{36}$`);
    check(arnPattern.test(edge.certificate.arn), 'edge.certificate.arn', edge.certificate.arn, `must be an ACM certificate ARN in ${config.region} (the ALB's region): arn:aws:acm:${config.region}:<account>:certificate/<uuid>`);
  } else {
    oneOf(edge.certificate.mode, 'edge.certificate.mode', ['create', 'existing'] as const);
  }
  const auth = edge.auth;
  int(auth.sessionTimeoutSeconds, 'edge.auth.sessionTimeoutSeconds', 60, 604800);
  if (auth.type === 'cognito') {
    check(DNS_LABEL.test(auth.domainPrefix) && !/aws|amazon|cognito/.test(auth.domainPrefix), 'edge.auth.domainPrefix', auth.domainPrefix, 'must be a DNS label (lower-case letters, digits, hyphens) without "aws", "amazon" or "cognito"');
    check(/^[\w\s+=,.@-]{1,128}$/.test(auth.userPoolName), 'edge.auth.userPoolName', auth.userPoolName, 'must be 1-128 characters from letters, digits, spaces and +=,.@-');
  } else if (auth.type === 'oidc') {
    for (const key of ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'userInfoEndpoint'] as const) {
      check(/^https:\/\/[^\s/]+(\/\S*)?$/.test(auth[key]), `edge.auth.${key}`, auth[key], 'must be an https:// URL');
    }
    check(auth.clientId.length > 0, 'edge.auth.clientId', auth.clientId, 'must not be empty');
  } else {
    problems.push({ path: `${env}.edge.auth.type`, value: (auth as { type: unknown }).type, message: 'must be one of "cognito", "oidc"' });
  }
  for (const key of ['loadBalancerName', 'targetGroupName'] as const) {
    check(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(edge[key]) && !edge[key].startsWith('internal-'), `edge.${key}`, edge[key], 'must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen or starting with "internal-"');
  }
  int(edge.idleTimeoutSeconds, 'edge.idleTimeoutSeconds', 1, 4000);
  int(edge.deregistrationDelaySeconds, 'edge.deregistrationDelaySeconds', 0, 3600);
  if (config.production) check(edge.deletionProtection, 'edge.deletionProtection', edge.deletionProtection, 'must be true in production');
  for (const key of ['alb', 'tasks', 'database'] as const) {
    const sg = edge.securityGroups[key];
    check(sg.name.length >= 1 && sg.name.length <= 255 && !sg.name.startsWith('sg-'), `edge.securityGroups.${key}.name`, sg.name, 'must be 1-255 characters and not start with "sg-"');
    check(SG_DESCRIPTION.test(sg.description), `edge.securityGroups.${key}.description`, sg.description, 'must be 1-255 characters from letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*');
  }
  validateEcsOperations(config, checker);
}

/** Validates every environment and the relations between them (unique stack names). */
export function validateEnvironments(configs: readonly AnyEnvironmentConfig[]): ConfigProblem[] {
  const problems = configs.flatMap(validateEnvironment);
  const seen = new Map<string, string>();
  for (const c of configs) {
    const other = seen.get(c.stackName);
    if (other !== undefined) problems.push({ path: `${c.name}.stackName`, value: c.stackName, message: `is also used by environment "${other}"; stack names must be unique` });
    seen.set(c.stackName, c.name);
  }
  return problems;
}

/** Throws a {@link ConfigError} listing every problem. */
export function assertValidEnvironments(configs: readonly AnyEnvironmentConfig[]): void {
  const problems = validateEnvironments(configs);
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Domain, hostname and hosted zone: the same rules for the ALB edge and App Runner's custom domain. */
function validateEdgeDomain(edge: { domainName: string; hostname: string; hostedZoneId: string }, { check }: Checker): void {
  const domainProblem = domainNameProblem(edge.domainName);
  check(domainProblem === undefined, 'edge.domainName', edge.domainName, domainProblem ?? '');
  const hostProblem = domainNameProblem(edge.hostname);
  check(hostProblem === undefined, 'edge.hostname', edge.hostname, hostProblem ?? '');
  check(edge.hostname.endsWith(`.${edge.domainName}`), 'edge.hostname', edge.hostname, `must be a name inside edge.domainName (${edge.domainName}), e.g. "mlflow.${edge.domainName}"`);
  check(/^Z[A-Z0-9]{1,31}$/.test(edge.hostedZoneId), 'edge.hostedZoneId', edge.hostedZoneId, 'must be a Route53 hosted zone id such as "Z0123456789ABCDEFGHIJ"');
}

/** A CIDR used to grant access: valid, and never the whole internet. */
function accessCidr(cidr: string, path: string, { check }: Checker): void {
  const parsed = parseCidr(cidr);
  check(parsed !== undefined && parsed.prefix >= 8, path, cidr, 'must be an IPv4 CIDR block with a prefix of /8 or longer (never 0.0.0.0/0), e.g. "203.0.113.0/24"');
}

const IAM_ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const LB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `service.autoscaling` or `apiAccess.autoscaling` (`owner`), whose service starts with
 * `desiredCount` tasks. `minCountGiven` false: minCount was derived from the count, whose own
 * checks already report a bad value (no second problem for the same input).
 */
function validateAutoscaling(a: ResolvedAutoscaling, owner: 'service' | 'apiAccess', desiredCount: number, production: boolean, checker: Checker, minCountGiven = true): void {
  const { check, int } = checker;
  const at = `${owner}.autoscaling`;
  if (minCountGiven) {
    int(a.minCount, `${at}.minCount`, 1, 100);
    if (production) check(a.minCount >= 2, `${at}.minCount`, a.minCount, `must be at least 2 in production (one task per AZ behind the ${owner === 'service' ? 'ALB' : 'internal ALB'})`);
  }
  int(a.maxCount, `${at}.maxCount`, 1, 100);
  check(a.minCount <= a.maxCount, `${at}.minCount`, a.minCount, `must not exceed ${at}.maxCount (${a.maxCount})`);
  // Only meaningful once [min, max] is a range.
  if (a.minCount <= a.maxCount) check(desiredCount >= a.minCount && desiredCount <= a.maxCount, `${owner}.desiredCount`, desiredCount, `must lie within ${at} [minCount, maxCount] = [${a.minCount}, ${a.maxCount}]`);
  int(a.cpuTargetPercent, `${at}.cpuTargetPercent`, 10, 90);
  int(a.memoryTargetPercent, `${at}.memoryTargetPercent`, 10, 90);
  if (a.requestsPerTarget !== undefined) int(a.requestsPerTarget, `${at}.requestsPerTarget`, 1, 100000);
  int(a.scaleInCooldownSeconds, `${at}.scaleInCooldownSeconds`, 60, 3600);
  int(a.scaleOutCooldownSeconds, `${at}.scaleOutCooldownSeconds`, 0, 3600);
}

/** Autoscaling, programmatic access and the artifacts path of the ECS runtime. */
function validateEcsOperations(config: EcsEnvironmentConfig, checker: Checker): void {
  const { check, int, oneOf } = checker;
  const svc = config.service;
  if (svc.autoscaling) validateAutoscaling(autoscalingSettings(svc.autoscaling), 'service', svc.desiredCount, config.production, checker);

  if ((config.artifacts.mode ?? 'proxied') === 'proxied') {
    check(svc.ephemeralStorageGiB >= 30, 'service.ephemeralStorageGiB', svc.ephemeralStorageGiB, 'must be at least 30 with artifacts.mode "proxied" (uploads are buffered on the task\'s disk)');
    check(config.edge.idleTimeoutSeconds >= 120, 'edge.idleTimeoutSeconds', config.edge.idleTimeoutSeconds, 'must be at least 120 with artifacts.mode "proxied" (large uploads stream through the ALB)');
  }

  const api = apiAccessSettings(config);
  oneOf(api.mode, 'apiAccess.mode', ['none', 'internal-alb', 'apigateway-iam'] as const);
  if (api.mode !== 'internal-alb' && api.mode !== 'apigateway-iam') return;
  if (api.hostname !== undefined) {
    const problem = domainNameProblem(api.hostname);
    check(problem === undefined, 'apiAccess.hostname', api.hostname, problem ?? '');
    check(api.hostname.endsWith(`.${config.edge.domainName}`), 'apiAccess.hostname', api.hostname, `must be a name inside edge.domainName (${config.edge.domainName}), e.g. "mlflow-api.${config.edge.domainName}"`);
    check(api.hostname !== config.edge.hostname, 'apiAccess.hostname', api.hostname, `must differ from edge.hostname (${config.edge.hostname}): the browser hostname stays behind OIDC/Cognito`);
  }
  for (const key of ['loadBalancerName', 'targetGroupName'] as const) {
    check(LB_NAME.test(api[key]) && !api[key].startsWith('internal-'), `apiAccess.${key}`, api[key], 'must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen or starting with "internal-"');
  }
  check(api.targetGroupName !== config.edge.targetGroupName, 'apiAccess.targetGroupName', api.targetGroupName, 'must differ from edge.targetGroupName');
  check(api.loadBalancerName !== config.edge.loadBalancerName, 'apiAccess.loadBalancerName', api.loadBalancerName, 'must differ from edge.loadBalancerName');
  oneOf(api.logRetentionDays, 'apiAccess.logRetentionDays', LOG_RETENTION_DAYS);
  if (config.production) check(api.logRetentionDays >= 365, 'apiAccess.logRetentionDays', api.logRetentionDays, 'must be at least 365 in production');
  api.allowedCidrs.forEach((cidr, i) => accessCidr(cidr, `apiAccess.allowedCidrs[${i}]`, checker));
  // Replies to a client outside the VPC follow the private route tables: without a client route
  // they go to the NAT gateway and the connection never completes.
  const vpc = parseCidr(config.network.vpcCidr);
  const routed = (config.network.clientRoutes ?? []).map((r) => parseCidr(r.cidr)).filter((c): c is NonNullable<typeof c> => c !== undefined);
  api.allowedCidrs.forEach((cidr, i) => {
    const client = parseCidr(cidr);
    if (!client || !vpc || client.prefix < 8 || cidrContains(vpc, client)) return;
    check(routed.some((r) => cidrContains(r, client)), `apiAccess.allowedCidrs[${i}]`, cidr, `is outside the VPC (${config.network.vpcCidr}) and no network.clientRoutes entry covers it: replies would go to the NAT gateway; add { cidr, transitGatewayId | vpcPeeringConnectionId } for it`);
  });
  api.allowedSecurityGroupIds.forEach((id, i) => check(/^sg-[0-9a-f]{8,17}$/.test(id), `apiAccess.allowedSecurityGroupIds[${i}]`, id, 'must be a security group id such as "sg-0123456789abcdef0"'));
  if (api.mode === 'internal-alb') {
    check(api.hostname !== undefined, 'apiAccess.hostname', api.hostname, 'is required with mode "internal-alb" (clients need a name the internal listener\'s certificate covers)');
    check(api.allowedCidrs.length + api.allowedSecurityGroupIds.length > 0, 'apiAccess.allowedCidrs', api.allowedCidrs, 'or apiAccess.allowedSecurityGroupIds must list at least one client source with mode "internal-alb"');
    int(api.desiredCount, 'apiAccess.desiredCount', 1, 100);
    // The default follows the service's own count, which is checked there.
    if (config.production && config.apiAccess?.desiredCount !== undefined && Number.isInteger(api.desiredCount) && api.desiredCount >= 1) check(api.desiredCount >= 2, 'apiAccess.desiredCount', api.desiredCount, 'must be at least 2 in production (one API task per AZ behind the internal ALB)');
    const apiScaling = apiAutoscalingSettings(config)!;
    // An explicit desiredCount must lie in the range; the default is minCount itself (or seeds it).
    validateAutoscaling(apiScaling, 'apiAccess', api.desiredCount, config.production, checker, config.apiAccess?.autoscaling?.minCount !== undefined);
    check(/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(api.adminPasswordSecretName), 'apiAccess.adminPasswordSecretName', api.adminPasswordSecretName, 'must be 1-512 characters from letters, digits and /_+=.@-');
    check(api.adminPasswordSecretName !== config.database.secretName, 'apiAccess.adminPasswordSecretName', api.adminPasswordSecretName, 'must differ from database.secretName');
  } else {
    for (const key of ['desiredCount', 'adminPasswordSecretName', 'autoscaling'] as const) {
      check(config.apiAccess?.[key] === undefined, `apiAccess.${key}`, config.apiAccess?.[key], 'is only used with mode "internal-alb" (the API service that runs MLflow\'s basic-auth app)');
    }
    check(api.allowedCidrs.length + api.allowedSecurityGroupIds.length === 0, 'apiAccess.allowedCidrs', [...api.allowedCidrs, ...api.allowedSecurityGroupIds], 'and apiAccess.allowedSecurityGroupIds are only used with mode "internal-alb" (with "apigateway-iam" only the VPC link reaches the internal ALB)');
    check((config.artifacts.mode ?? 'proxied') === 'direct', 'artifacts.mode', config.artifacts.mode ?? 'proxied', 'must be "direct" with apiAccess.mode "apigateway-iam": HTTP APIs cap payloads at 10 MB and 30 s, which breaks proxied artifact uploads (use "internal-alb" to keep proxied artifacts)');
    int(api.throttle.ratePerSecond, 'apiAccess.throttle.ratePerSecond', 1, 10000);
    int(api.throttle.burst, 'apiAccess.throttle.burst', 1, 5000);
  }
}

/** App Runner CPU units -> allowed memory (MiB). */
export const APP_RUNNER_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024],
  512: [1024],
  1024: [2048, 3072, 4096],
  2048: [4096, 6144],
  4096: [8192, 10240, 12288],
};

/** App Runner's request timeout (seconds), not configurable. */
export const APP_RUNNER_REQUEST_TIMEOUT_SECONDS = 120;

/** The App Runner runtime: service, protection, custom domain. */
function validateAppRunner(config: AppRunnerEnvironmentConfig, checker: Checker): void {
  const { check, int, oneOf } = checker;
  const edge = config.edge as AppRunnerEnvironmentConfig['edge'] & Record<string, unknown>;
  for (const key of ['auth', 'loadBalancerName', 'certificate'] as const) {
    if (edge[key] !== undefined) {
      const why =
        key === 'auth'
          ? 'App Runner has no OIDC/Cognito step at the edge; remove edge.auth and protect the service with appRunner.protection ("waf-allow-list" or "basic-auth")'
          : 'App Runner has no ALB; its certificate comes from the custom domain association';
      check(false, `edge.${key}`, edge[key], `is not supported with runtime "apprunner": ${why}`);
    }
  }
  for (const key of ['service', 'apiAccess'] as const) {
    const value = (config as unknown as Record<string, unknown>)[key];
    if (value !== undefined) check(false, key, value, `is only used with runtime "ecs"; App Runner is configured in appRunner`);
  }
  validateEdgeDomain(edge, checker);
  int(appRunnerValidationRecords(edge), 'edge.certificateValidationRecords', 1, 10);
  for (const key of ['connector', 'database'] as const) {
    const sg = edge.securityGroups[key];
    check(sg.name.length >= 1 && sg.name.length <= 255 && !sg.name.startsWith('sg-'), `edge.securityGroups.${key}.name`, sg.name, 'must be 1-255 characters and not start with "sg-"');
    check(SG_DESCRIPTION.test(sg.description), `edge.securityGroups.${key}.description`, sg.description, 'must be 1-255 characters from letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*');
  }

  const ar = config.appRunner;
  check(
    config.database.passwordMode === 'random',
    'database.passwordMode',
    config.database.passwordMode,
    'must be "random" with the App Runner runtime: RDS rotates an RDS-managed password every 7 days, App Runner resolves secrets only when it deploys and has HTTP/TCP health checks only, so every new database connection would fail after the first rotation with nothing replacing the instances',
  );
  oneOf(ar.protection, 'appRunner.protection', ['waf-allow-list', 'basic-auth'] as const);
  if (ar.protection === 'waf-allow-list') {
    check(wafSettings(config).allowListCidrs.length > 0, 'waf.allowListCidrs', wafSettings(config).allowListCidrs, 'must list at least one CIDR with appRunner.protection "waf-allow-list" (otherwise the service would be open to the internet)');
  }
  if (ar.adminPasswordSecretName !== undefined) {
    check(/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(ar.adminPasswordSecretName), 'appRunner.adminPasswordSecretName', ar.adminPasswordSecretName, 'must be 1-512 characters from letters, digits and /_+=.@-');
  }
  check(/^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/.test(ar.serviceName), 'appRunner.serviceName', ar.serviceName, 'must be 4-40 letters, digits, hyphens or underscores, starting with a letter or digit');
  const memory = APP_RUNNER_MEMORY[ar.cpu];
  check(memory !== undefined, 'appRunner.cpu', ar.cpu, `must be one of the App Runner CPU values ${Object.keys(APP_RUNNER_MEMORY).join(', ')}`);
  if (memory) check(memory.includes(ar.memoryMiB), 'appRunner.memoryMiB', ar.memoryMiB, `is not an App Runner memory size for cpu ${ar.cpu}: allowed ${memory.join(', ')} MiB`);
  int(ar.minSize, 'appRunner.minSize', 1, 25);
  int(ar.maxSize, 'appRunner.maxSize', 1, 25);
  check(ar.minSize <= ar.maxSize, 'appRunner.minSize', ar.minSize, `must not exceed appRunner.maxSize (${ar.maxSize})`);
  if (config.production) check(ar.minSize >= 2, 'appRunner.minSize', ar.minSize, 'must be at least 2 in production');
  int(ar.maxConcurrency, 'appRunner.maxConcurrency', 1, 200);
  check(/^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/.test(ar.autoScalingConfigurationName), 'appRunner.autoScalingConfigurationName', ar.autoScalingConfigurationName, 'must be 4-32 letters, digits, hyphens or underscores, starting with a letter or digit');
  check(/^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/.test(ar.vpcConnectorName), 'appRunner.vpcConnectorName', ar.vpcConnectorName, 'must be 4-40 letters, digits, hyphens or underscores, starting with a letter or digit');
  for (const key of ['accessRoleName', 'instanceRoleName'] as const) {
    check(IAM_ROLE_NAME.test(ar[key]), `appRunner.${key}`, ar[key], 'must be an IAM role name: 1-64 characters from letters, digits and +=,.@_-');
  }
  int(ar.gunicornWorkers, 'appRunner.gunicornWorkers', 1, 64);
  int(ar.gunicornTimeoutSeconds, 'appRunner.gunicornTimeoutSeconds', 30, APP_RUNNER_REQUEST_TIMEOUT_SECONDS - 1);
}

/** WAF and alarms: both runtimes. */
function validateOperations(config: AnyEnvironmentConfig, checker: Checker): void {
  const { check, int, oneOf } = checker;
  const waf = wafSettings(config);
  // AWS WAF accepts 10..2,000,000,000 requests per evaluation window (the provider validates the same range).
  int(waf.rateLimitPer5Minutes, 'waf.rateLimitPer5Minutes', 10, 2000000000);
  waf.allowListCidrs.forEach((cidr, i) => accessCidr(cidr, `waf.allowListCidrs[${i}]`, checker));
  oneOf(waf.logRetentionDays, 'waf.logRetentionDays', LOG_RETENTION_DAYS);
  if (config.production) check(waf.logRetentionDays >= 365, 'waf.logRetentionDays', waf.logRetentionDays, 'must be at least 365 in production (scanners require a year of logs)');

  const alarms = config.alarms ?? {};
  (alarms.emails ?? []).forEach((email, i) => check(EMAIL.test(email), `alarms.emails[${i}]`, email, 'must be an e-mail address'));
  for (const [key, value] of Object.entries(alarms.thresholds ?? {})) {
    const range = ALARM_THRESHOLD_RANGES[key as keyof typeof ALARM_THRESHOLD_RANGES];
    if (!range) {
      check(false, `alarms.thresholds.${key}`, value, `is not a threshold; allowed: ${Object.keys(ALARM_THRESHOLD_RANGES).join(', ')}`);
      continue;
    }
    check(typeof value === 'number' && Number.isFinite(value) && value >= range[0] && value <= range[1], `alarms.thresholds.${key}`, value, `must be a number from ${range[0]} to ${range[1]}`);
  }
}
