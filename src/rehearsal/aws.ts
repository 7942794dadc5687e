/**
 * Out-of-band calls to the emulator (data written before the cut-over, the ids that prove identity,
 * changes made outside Terraform), through `scripts/rehearsal-aws.py` (boto3, in the image's
 * python3): the one place the rehearsal talks to the API without Terraform.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const AWS_SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'rehearsal-aws.py');

export type AwsCommand = 'seed' | 'identity' | 'drift';

/** What `identity` reports (see scripts/rehearsal-aws.py). */
export interface Identity {
  readonly vpc: string;
  /** Subnet id by CIDR block. */
  readonly subnets: Readonly<Record<string, string>>;
  readonly securityGroups: Readonly<Record<string, string>>;
  readonly loadBalancers: Readonly<Record<string, string>>;
  readonly targetGroups: Readonly<Record<string, string>>;
  readonly cluster: string;
  readonly service: string;
  readonly serviceTaskDefinition: string;
  /** IAM RoleId (changes when a role is re-created under the same name) by role name. */
  readonly roles: Readonly<Record<string, string>>;
  readonly db: { readonly DbiResourceId: string; readonly DBInstanceArn: string };
  readonly secret: { readonly ARN: string; readonly SecretString: string };
  /** ETag by object key (ListObjectsV2). */
  readonly objects: Readonly<Record<string, string>>;
}

/** Runs one command of the script against `endpoint` with `spec` on stdin; resolves its JSON output. */
export function awsCall<T = unknown>(command: AwsCommand, endpoint: string, spec: unknown, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const python = env.MLFLOW_INFRA_PYTHON ?? 'python3';
  return new Promise((resolve, reject) => {
    const child = spawn(python, [AWS_SCRIPT, command, '--endpoint', endpoint], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new Error(`cannot run ${python} ${AWS_SCRIPT}: ${e.message}`)));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code !== 0) {
        reject(new Error(stderr || `${path.basename(AWS_SCRIPT)} ${command} exited ${code}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as T);
      } catch (e) {
        reject(new Error(`${path.basename(AWS_SCRIPT)} ${command}: output is not JSON (${(e as Error).message})`));
      }
    });
    child.stdin.end(JSON.stringify(spec));
  });
}

/** One line per identity fact that differs between `before` and `after` (empty: identity kept). */
export function identityDifferences(before: Identity, after: Identity): string[] {
  const diffs: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (a !== b) diffs.push(`${what}: ${JSON.stringify(a)} before, ${JSON.stringify(b)} after`);
  };
  const map = (what: string, a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) => {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) same(`${what} ${k}`, a[k], b[k]);
  };
  same('VPC', before.vpc, after.vpc);
  map('subnet', before.subnets, after.subnets);
  map('security group', before.securityGroups, after.securityGroups);
  map('load balancer', before.loadBalancers, after.loadBalancers);
  map('target group', before.targetGroups, after.targetGroups);
  same('ECS cluster', before.cluster, after.cluster);
  same('ECS service', before.service, after.service);
  map('IAM role id of', before.roles, after.roles);
  same('DB DbiResourceId', before.db.DbiResourceId, after.db.DbiResourceId);
  same('DB ARN', before.db.DBInstanceArn, after.db.DBInstanceArn);
  same('secret ARN', before.secret.ARN, after.secret.ARN);
  // The secret string is compared, never printed.
  if (before.secret.SecretString !== after.secret.SecretString) diffs.push('secret string: differs (values not shown)');
  map('object ETag of', before.objects, after.objects);
  return diffs;
}
