/**
 * `imports/<environment>.json`: existing AWS objects that no state knows and that a stack adopts with
 * Terraform `import` blocks (emitted through cdktf's `importFrom`). Each definition names the stack
 * address and the import ID; the ID's shape is checked per resource type, and against the stack's
 * configuration where the ID is a configured name (importing bucket A into a resource configured
 * for bucket B would plan a replacement).
 *
 * ```json
 * { "environment": "production",
 *   "imports": [{ "address": "aws_s3_bucket.storage_artifacts_bucket", "id": "fraud-scoring-models-123456789012",
 *                 "reason": "the local compose setup already writes artifacts there" }] }
 * ```
 *
 * This module is pure (types, ID rules, parsing): `imports-file.ts` reads the files, the app
 * (`src/app.ts`) passes the definitions to each stack, and `src/migration/imports.ts` checks them
 * against a synthesized stack (`migrate check-imports`).
 */
import { bucketNameProblem, isEcrRepositoryName } from './validate';
import { parseAddress } from '../terraform-json/address';
import { isObject } from '../terraform-json/json';
import { InfraError } from '../errors';

export interface ImportDefinition {
  readonly address: string;
  readonly id: string;
  readonly reason: string;
}

export interface ImportDefinitions {
  readonly environment: string;
  readonly imports: readonly ImportDefinition[];
}

export class ImportsError extends InfraError {
  constructor(readonly problems: readonly string[], origin: string) {
    super(`${origin}: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const arn = (service: string, resource: string) => new RegExp(`^arn:aws[a-z-]*:${service}:[a-z]{2}(?:-[a-z]+)+-\\d:\\d{12}:${resource}$`);

/** ID rules per type: a check returning the problem, and the configuration argument the ID must equal. */
export const IMPORT_ID_RULES: Readonly<Record<string, { readonly check: (id: string) => string | undefined; readonly configArgument?: string; readonly describe: string }>> = {
  aws_s3_bucket: { check: bucketNameProblem, configArgument: 'bucket', describe: 'the bucket name' },
  aws_s3_bucket_versioning: { check: bucketNameProblem, configArgument: 'bucket', describe: 'the bucket name' },
  aws_s3_bucket_server_side_encryption_configuration: { check: bucketNameProblem, configArgument: 'bucket', describe: 'the bucket name' },
  aws_s3_bucket_public_access_block: { check: bucketNameProblem, configArgument: 'bucket', describe: 'the bucket name' },
  aws_s3_bucket_ownership_controls: { check: bucketNameProblem, configArgument: 'bucket', describe: 'the bucket name' },
  aws_s3_bucket_policy: { check: bucketNameProblem, configArgument: 'bucket', describe: 'the bucket name' },
  aws_s3_bucket_lifecycle_configuration: { check: bucketNameProblem, configArgument: 'bucket', describe: 'the bucket name' },
  aws_ecr_repository: {
    check: (id) => (isEcrRepositoryName(id) ? undefined : 'must be an ECR repository name (lower-case, 2-256 characters, segments separated by "/", ".", "_" or "-")'),
    configArgument: 'name',
    describe: 'the repository name',
  },
  aws_acm_certificate: {
    check: (id) => (arn('acm', `certificate/${UUID}`).test(id) ? undefined : 'must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)'),
    describe: 'the certificate ARN',
  },
  aws_kms_key: {
    check: (id) => (new RegExp(`^${UUID}$`).test(id) || arn('kms', `key/${UUID}`).test(id) ? undefined : 'must be a KMS key id (uuid) or key ARN'),
    describe: 'the key id',
  },
  aws_cloudwatch_log_group: {
    check: (id) => (/^[A-Za-z0-9_\-/.#]{1,512}$/.test(id) ? undefined : 'must be a log group name (1-512 of letters, digits, _ - / . #)'),
    configArgument: 'name',
    describe: 'the log group name',
  },
  aws_secretsmanager_secret: {
    check: (id) => (arn('secretsmanager', 'secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}').test(id) ? undefined : 'must be a Secrets Manager secret ARN (…:secret:<name>-<6 characters>)'),
    describe: 'the secret ARN',
  },
  aws_iam_role: {
    check: (id) => (/^[\w+=,.@-]{1,64}$/.test(id) ? undefined : 'must be an IAM role name (1-64 of letters, digits, +=,.@_-)'),
    configArgument: 'name',
    describe: 'the role name',
  },
  aws_route: {
    check: (id) => (/^rtb-[0-9a-z]{8,17}_\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(id) ? undefined : 'must be <route table id>_<destination CIDR> (e.g. rtb-0123456789abcdef0_0.0.0.0/0)'),
    describe: 'the route',
  },
  aws_route53_zone: { check: (id) => (/^Z[A-Z0-9]{1,31}$/.test(id) ? undefined : 'must be a hosted zone id (Z…)'), describe: 'the hosted zone id' },
};

export function supportedImportTypes(): string[] {
  return Object.keys(IMPORT_ID_RULES).sort();
}

/** Shape and ID checks that need no stack; every problem names its field. */
export function parseImports(raw: unknown, origin: string, expectedEnvironment?: string): ImportDefinitions {
  const problems: string[] = [];
  if (!isObject(raw)) throw new ImportsError(['expected a JSON object with "environment" and "imports"'], origin);
  for (const k of Object.keys(raw)) if (!['environment', 'imports', '$comment'].includes(k)) problems.push(`${k}: unknown field (allowed: environment, imports)`);
  if (typeof raw.environment !== 'string' || raw.environment === '') problems.push('environment: required (the environment name)');
  else if (expectedEnvironment !== undefined && raw.environment !== expectedEnvironment) problems.push(`environment: is "${raw.environment}" but the file is for "${expectedEnvironment}"`);
  if (!Array.isArray(raw.imports)) problems.push('imports: expected a list');
  const imports: ImportDefinition[] = [];
  const seen = new Map<string, number>();
  (Array.isArray(raw.imports) ? raw.imports : []).forEach((d, i) => {
    const f = `imports[${i}]`;
    if (!isObject(d)) {
      problems.push(`${f}: expected an object with "address", "id" and "reason"`);
      return;
    }
    for (const k of Object.keys(d)) if (!['address', 'id', 'reason'].includes(k)) problems.push(`${f}.${k}: unknown field (allowed: address, id, reason)`);
    const address = typeof d.address === 'string' ? d.address : '';
    const parsed = parseAddress(address);
    if (!parsed || parsed.mode !== 'managed' || parsed.module !== '') problems.push(`${f}.address: ${JSON.stringify(d.address)} is not a root-module resource address (e.g. aws_s3_bucket.storage_artifacts_bucket)`);
    if (typeof d.id !== 'string' || d.id === '') problems.push(`${f}.id: required (the import ID)`);
    if (typeof d.reason !== 'string' || d.reason.trim() === '') problems.push(`${f}.reason: required (why the object exists outside any state)`);
    if (parsed && typeof d.id === 'string' && d.id !== '') {
      const rule = IMPORT_ID_RULES[parsed.type];
      if (!rule) problems.push(`${f}.address: no import ID rule for type ${parsed.type} (supported: ${supportedImportTypes().join(', ')})`);
      else {
        const problem = rule.check(d.id);
        if (problem) problems.push(`${f}.id: "${d.id}" is not valid for ${parsed.type}: ${rule.describe} ${problem}`);
      }
    }
    if (seen.has(address)) problems.push(`${f}.address: ${address} is already imported by imports[${seen.get(address)}]`);
    seen.set(address, i);
    if (parsed && typeof d.id === 'string' && typeof d.reason === 'string') imports.push({ address, id: d.id, reason: d.reason });
  });
  if (problems.length > 0) throw new ImportsError(problems, origin);
  return { environment: raw.environment as string, imports };
}
