/**
 * Terraform working directories pointed at the emulator: the offline workspace of
 * `src/terraform/offline.ts` (providers from the mirror, local backend, random_* stubbed with
 * terraform_data) with an override that sends every AWS service the configuration uses to one
 * moto endpoint, and dummy values for required variables.
 */
import { Json, OfflineWorkspace, offlineOverride, prepareOfflineWorkspace } from '../terraform';
import { InfraError } from '../errors';

/**
 * The provider `endpoints` key of each AWS service, by resource/data source type prefix. A type
 * with no entry here is an error (the provider would call real AWS, or fail without credentials):
 * add its service when a stack starts using it.
 */
export const SERVICE_BY_TYPE_PREFIX: Readonly<Record<string, string>> = {
  aws_acm_: 'acm',
  aws_apigatewayv2_: 'apigatewayv2',
  aws_appautoscaling_: 'appautoscaling',
  aws_apprunner_: 'apprunner',
  aws_cloudwatch_log_: 'logs',
  aws_cloudwatch_: 'cloudwatch',
  aws_cognito_: 'cognitoidp',
  aws_db_: 'rds',
  aws_rds_: 'rds',
  aws_default_security_group: 'ec2',
  aws_eip: 'ec2',
  aws_flow_log: 'ec2',
  aws_internet_gateway: 'ec2',
  aws_nat_gateway: 'ec2',
  aws_route: 'ec2',
  aws_route_table: 'ec2',
  aws_security_group: 'ec2',
  aws_vpc_security_group_: 'ec2',
  aws_subnet: 'ec2',
  aws_vpc: 'ec2',
  aws_vpc_endpoint: 'ec2',
  aws_ecr_: 'ecr',
  aws_ecs_: 'ecs',
  aws_iam_: 'iam',
  aws_kms_: 'kms',
  aws_lb: 'elbv2',
  aws_alb: 'elbv2',
  aws_route53_: 'route53',
  aws_s3_: 's3',
  aws_secretsmanager_: 'secretsmanager',
  aws_sns_: 'sns',
  aws_wafv2_: 'wafv2',
};

/** Types that need no AWS API (computed by the provider or terraform itself). */
const LOCAL_TYPES = ['aws_iam_policy_document', 'aws_partition', 'aws_region', 'terraform_data'];

/** Services every configuration needs: STS answers the account guard's GetCallerIdentity. */
const ALWAYS = ['sts'];

/** The endpoint service keys a set of resource/data types needs, and the types no entry covers. */
export function servicesFor(types: readonly string[]): { services: string[]; unknown: string[] } {
  const services = new Set(ALWAYS);
  const unknown: string[] = [];
  const prefixes = Object.keys(SERVICE_BY_TYPE_PREFIX).sort((a, b) => b.length - a.length);
  for (const type of types) {
    if (LOCAL_TYPES.includes(type) || type.startsWith('random_')) continue;
    const prefix = prefixes.find((p) => type === p || (type.startsWith(p) && (p.endsWith('_') || type[p.length] === '_')));
    if (prefix) services.add(SERVICE_BY_TYPE_PREFIX[prefix]);
    else unknown.push(type);
  }
  return { services: [...services].sort(), unknown: unknown.sort() };
}

/** Resource and data source types of a synthesized stack. */
export function typesOf(stackJson: Json): string[] {
  return [...new Set([...Object.keys(stackJson.resource ?? {}), ...Object.keys(stackJson.data ?? {})])].sort();
}

/** How the provider talks to the emulator; see {@link emulatorOverride}. */
export interface EmulatorProviderOptions {
  readonly endpoint: string;
  readonly services: readonly string[];
  /** Retries per request: small, so an emulator 500 fails in seconds instead of minutes. @default 2 */
  readonly maxRetries?: number;
  /** Lift the stack's `allowed_account_ids` guard. @default false (moto's account is 123456789012, the stacks' account) */
  readonly liftAccountGuard?: boolean;
}

/**
 * The override file's content: a local backend and an AWS provider whose services all go to the
 * emulator (path-style S3, dummy credentials, few retries). The account guard stays unless lifted:
 * moto answers GetCallerIdentity with 123456789012, the account the stacks allow.
 */
export function emulatorOverride(region: string, options: EmulatorProviderOptions): Json {
  const endpoints: Record<string, string> = {};
  for (const s of [...options.services].sort()) endpoints[s] = options.endpoint;
  // The offline override (local backend, skip_* settings), but the account is asked for (the guard
  // checks it) and every service goes to the emulator.
  const override = offlineOverride(region);
  const { allowed_account_ids: lifted, ...aws } = override.provider.aws[0];
  override.provider.aws[0] = {
    ...aws,
    access_key: 'AKIAREHEARSAL0000000',
    secret_key: 'rehearsal-dummy-secret-key',
    skip_requesting_account_id: false,
    s3_use_path_style: true,
    max_retries: options.maxRetries ?? 2,
    endpoints: [endpoints],
    ...(options.liftAccountGuard ? { allowed_account_ids: lifted } : {}),
  };
  return override;
}

/** `TF_VAR_<name>` for every variable without a default: a recognisable dummy value. */
export function dummyVariables(stackJson: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, decl] of Object.entries((stackJson.variable ?? {}) as Record<string, Json>).sort(([a], [b]) => a.localeCompare(b))) {
    if (decl?.default === undefined) out[`TF_VAR_${name}`] = `rehearsal-dummy-${name.replace(/_/g, '-')}`;
  }
  return out;
}

export interface EmulatorWorkspaceOptions {
  /** Where moto listens (from {@link startMoto}). */
  readonly endpoint: string;
  /** A synthesized stack; or `sourceDir` for hand-written HCL (e.g. the legacy configuration). */
  readonly stackJson?: Json;
  readonly sourceDir?: string;
  /** Services to point at the emulator for a `sourceDir` (a stackJson's are computed from its types). */
  readonly services?: readonly string[];
  /** A state to start from (random_* stubbed the same way as the configuration). */
  readonly state?: Json;
  /** Keep import blocks (they run for real against the emulator). @default true */
  readonly keepImports?: boolean;
  readonly maxRetries?: number;
  readonly liftAccountGuard?: boolean;
  /** Region of a `sourceDir` configuration. @default us-east-1 */
  readonly region?: string;
  /** Extra environment, e.g. TF_VAR_* a `sourceDir` needs. */
  readonly extraEnv?: NodeJS.ProcessEnv;
  readonly env?: NodeJS.ProcessEnv;
}

/** Thrown when a configuration uses a resource type whose service has no emulator endpoint mapping. */
export class UnmappedServiceError extends InfraError {}

/**
 * A temporary terraform working directory for a stack (or HCL dir) pointed at the emulator. The
 * caller runs `init`, `apply`, `plan`... through `run` (see `terraform.ts` for progress) and calls
 * `cleanup()` when done.
 */
export function prepareEmulatorWorkspace(options: EmulatorWorkspaceOptions): OfflineWorkspace {
  let services = options.services ? [...new Set([...ALWAYS, ...options.services])] : undefined;
  if (!services) {
    if (!options.stackJson) throw new Error('prepareEmulatorWorkspace: a sourceDir needs the services it uses');
    const found = servicesFor(typesOf(options.stackJson));
    if (found.unknown.length > 0) {
      throw new UnmappedServiceError(
        `no emulator endpoint is known for resource type${found.unknown.length > 1 ? 's' : ''} ${found.unknown.join(', ')}: add the service to SERVICE_BY_TYPE_PREFIX in src/rehearsal/workspace.ts`,
      );
    }
    services = found.services;
  }
  const ws = prepareOfflineWorkspace({
    stackJson: options.stackJson,
    sourceDir: options.sourceDir,
    state: options.state,
    region: options.region,
    keepImports: options.keepImports ?? true,
    override: (region) => emulatorOverride(region, { endpoint: options.endpoint, services: services!, maxRetries: options.maxRetries, liftAccountGuard: options.liftAccountGuard }),
    extraEnv: {
      AWS_ACCESS_KEY_ID: 'AKIAREHEARSAL0000000',
      AWS_SECRET_ACCESS_KEY: 'rehearsal-dummy-secret-key',
      ...(options.stackJson ? dummyVariables(options.stackJson) : {}),
      ...options.extraEnv,
    },
    env: options.env,
  });
  (ws.notes as string[]).push(`pointed ${services.join(', ')} at the emulator ${options.endpoint}`);
  return ws;
}
