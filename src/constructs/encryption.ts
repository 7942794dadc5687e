/**
 * The stack's customer-managed KMS key: logs, secrets, the artifacts bucket, ECR, SNS and (by
 * config) RDS encrypt with it. The key policy enumerates administrative actions for the account
 * root instead of the default `kms:*` (KICS 7ebc9038, Terrascan AC_AWS_0482) and grants each AWS
 * service only what it needs, conditioned on the account and the calling service.
 */
import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { IGrantable, policyDocument } from './iam';

export interface EncryptionKeyProps {
  readonly accountId: string;
  readonly region: string;
  /** Alias without the `alias/` prefix, e.g. `fraud-scoring-mlflow-production`. */
  readonly alias: string;
}

/** Administrative actions the account root keeps (everything but use of the key for data). */
export const KMS_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

export class EncryptionKey extends Construct {
  public readonly key: KmsKey;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const { accountId, region } = props;
    const root = `arn:aws:iam::${accountId}:root`;
    this.key = new KmsKey(this, 'key', {
      description: `MLflow (${props.alias}): logs, secrets, artifacts, images, alarms`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      policy: policyDocument([
        { Sid: 'AccountAdministration', Effect: 'Allow', Principal: { AWS: root }, Action: KMS_ADMIN_ACTIONS, Resource: '*' },
        {
          Sid: 'AccountUseThroughAwsServices',
          Effect: 'Allow',
          Principal: { AWS: root },
          Action: [...USE_ACTIONS, 'kms:CreateGrant', 'kms:ListGrants'],
          Resource: '*',
          Condition: {
            StringEquals: {
              'kms:CallerAccount': accountId,
              'kms:ViaService': [
                `secretsmanager.${region}.amazonaws.com`,
                `s3.${region}.amazonaws.com`,
                `rds.${region}.amazonaws.com`,
                `ecr.${region}.amazonaws.com`,
                `sns.${region}.amazonaws.com`,
                `logs.${region}.amazonaws.com`,
                `apprunner.${region}.amazonaws.com`,
              ],
            },
          },
        },
        {
          Sid: 'CloudWatchLogs',
          Effect: 'Allow',
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: USE_ACTIONS,
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:log-group:*` } },
        },
        {
          Sid: 'CloudWatchAlarmsToSns',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ]),
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }

  /** `kms:Decrypt` with this key: reading what it encrypted (images, secrets). */
  public grantDecrypt(grantee: IGrantable, sid: string): void {
    grantee.addToPolicy({ Sid: sid, Effect: 'Allow', Action: 'kms:Decrypt', Resource: this.arn });
  }

  /** `kms:Decrypt` and `kms:GenerateDataKey` with this key: what reading and writing SSE-KMS objects needs. */
  public grantEncryptDecrypt(grantee: IGrantable, sid: string): void {
    grantee.addToPolicy({ Sid: sid, Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: this.arn });
  }
}
