/**
 * IAM policy documents as literal JSON strings. Scanners (checkov, Trivy) parse literal JSON but not
 * `${jsonencode(...)}`, so documents are built with `JSON.stringify`; cdktf tokens inside the
 * strings resolve to `${aws_x.y.arn}` references.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly NotAction?: string | readonly string[];
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Trust policy for a service principal, e.g. `ecs-tasks.amazonaws.com`, limited to this account. */
export function assumeRolePolicy(service: string, accountId: string): string {
  return policyDocument([
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ]);
}
