/**
 * IAM policy documents as literal JSON strings. Scanners (checkov, Trivy) parse literal JSON but not
 * `${jsonencode(...)}`, so documents are built with `JSON.stringify`; cdktf tokens inside the
 * strings resolve to `${aws_x.y.arn}` references. Permissions are granted aws-cdk style: the resource
 * constructs have `grantX(grantee)` methods that add statements to a {@link GrantableRole}'s inline
 * policy or a managed policy's {@link GrantedPolicyDocument}.
 */
import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

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

/**
 * What a grant gives permissions to (aws-cdk's `IGrantable`): a role's inline policy or a managed
 * policy. `grantX(grantee, ...)` methods on the resource constructs (`ImageRepository.grantPull`,
 * `EncryptionKey.grantDecrypt`, `ArtifactStorage.grantReadWrite`, ...) add their statements here; the
 * document lists them in the order they were granted.
 */
export interface IGrantable {
  /** The construct path of the role or policy, for messages. */
  readonly grantName: string;
  /** Adds a statement; its Sid (if any) must be new in this document. */
  addToPolicy(statement: PolicyStatement): void;
}

/**
 * A policy document that grants add statements to, rendered at synthesis (a cdktf lazy value), so a
 * grant made after the policy resource exists still lands in it. A document nothing was granted
 * to is an error at synthesis (IAM rejects a policy without statements).
 */
export class GrantedPolicyDocument implements IGrantable {
  private readonly statements: PolicyStatement[] = [];
  /** The rendered document: give it to the policy resource's `policy`. */
  public readonly json: string;

  constructor(public readonly grantName: string) {
    this.json = Lazy.stringValue({
      produce: () => {
        if (this.statements.length === 0) throw new Error(`${this.grantName}: the policy grants nothing (grant something to it or remove it)`);
        return policyDocument(this.statements);
      },
    });
  }

  addToPolicy(statement: PolicyStatement): void {
    if (statement.Sid !== undefined && this.statements.some((s) => s.Sid === statement.Sid)) {
      throw new Error(`${this.grantName}: a statement with Sid "${statement.Sid}" is already granted (Sids are unique in a policy)`);
    }
    this.statements.push(statement);
  }

  /** The statements granted so far, in order (for tests and reviews). */
  public get granted(): readonly PolicyStatement[] {
    return [...this.statements];
  }
}

export interface GrantableRoleProps {
  /** The role's IAM name. */
  readonly roleName: string;
  /** The service that assumes the role, e.g. `ecs-tasks.amazonaws.com` (only from this account). */
  readonly assumedBy: string;
  readonly accountId: string;
  /** The name of the role's one inline policy, which every grant to the role goes into. */
  readonly policyName: string;
  /** Construct ids of the role and its policy (in `scope`: they are part of the Terraform addresses). */
  readonly roleId: string;
  readonly policyId: string;
}

/**
 * An IAM role with one inline policy that grants go into. Role and policy are created directly in
 * `scope` under the given ids (not under a construct of their own), so their addresses are the
 * ones the stacks always had.
 */
export class GrantableRole implements IGrantable {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;
  private readonly document: GrantedPolicyDocument;

  constructor(scope: Construct, props: GrantableRoleProps) {
    this.role = new IamRole(scope, props.roleId, { name: props.roleName, assumeRolePolicy: assumeRolePolicy(props.assumedBy, props.accountId) });
    this.document = new GrantedPolicyDocument(this.role.node.path);
    this.policy = new IamRolePolicy(scope, props.policyId, { name: props.policyName, role: this.role.id, policy: this.document.json });
  }

  get grantName(): string {
    return this.document.grantName;
  }

  addToPolicy(statement: PolicyStatement): void {
    this.document.addToPolicy(statement);
  }

  /** The statements granted so far, in order. */
  get granted(): readonly PolicyStatement[] {
    return this.document.granted;
  }
}

/**
 * `secretsmanager:GetSecretValue` on the given secrets (aws-cdk's `ISecret.grantRead`, for secrets
 * known by ARN: the stack's, RDS-managed ones). One secret is written as a string, several as a
 * list; `alwaysList` keeps a list for one (the App Runner instance policy has always listed them).
 */
export function grantSecretsRead(grantee: IGrantable, secretArns: readonly string[], sid: string, options: { readonly alwaysList?: boolean } = {}): void {
  if (secretArns.length === 0) throw new Error(`${grantee.grantName}: grantSecretsRead (${sid}) needs at least one secret ARN`);
  grantee.addToPolicy({
    Sid: sid,
    Effect: 'Allow',
    Action: 'secretsmanager:GetSecretValue',
    Resource: secretArns.length === 1 && !options.alwaysList ? secretArns[0] : [...secretArns],
  });
}

/** Write log events to one log group's streams (aws-cdk's `LogGroup.grantWrite`, without creating groups). */
export function grantLogsWrite(grantee: IGrantable, logGroupArn: string, sid = 'WriteLogs'): void {
  grantee.addToPolicy({ Sid: sid, Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroupArn}:*` });
}
