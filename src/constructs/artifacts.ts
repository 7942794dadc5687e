/**
 * Storage: the one artifacts bucket (versioned, KMS-encrypted with the stack key, all public access
 * blocked, TLS-only, owner-enforced, lifecycle to IA then Glacier, access-logged) and the access-log
 * bucket that receives ALB and S3 server access logs (SSE-S3: ELB log delivery supports no other).
 */
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { ArtifactsConfig } from '../config/types';
import { EncryptionKey } from './encryption';
import { IGrantable, policyDocument, PolicyStatement } from './iam';
import { suppress } from './suppress';

/**
 * Where a service delivers access logs. Delivery is checked when logging is turned on (ELB answers
 * "Access Denied for bucket" before the bucket policy exists), so the consumer depends on the
 * policy that admits the log-delivery service, not only on the bucket name.
 */
export interface AccessLogsTarget {
  readonly bucket: string;
  readonly prefix: string;
  /** The consumer is created after these (the target bucket's policy). */
  readonly dependsOn: ITerraformDependable[];
}

export interface BucketProps {
  readonly bucketName: string;
  /** `undefined`: SSE-S3 (AES256). Otherwise SSE-KMS with this key and S3 Bucket Keys. */
  readonly kmsKeyArn?: string;
  /** Extra bucket policy statements (the TLS-only deny is always there). */
  readonly extraStatements?: (bucketArn: string) => PolicyStatement[];
  /** Server access logs destination: bucket, prefix and what must exist first (the target's policy). */
  readonly accessLogs?: AccessLogsTarget;
  readonly lifecycleRules: S3BucketLifecycleConfigurationRule[];
  /** Let `terraform destroy` delete every object version first. @default false */
  readonly forceDestroy?: boolean;
}

/** A private bucket with the controls every scanner checks, each as its own resource. */
export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  /** The bucket policy (TLS-only deny plus `extraStatements`). */
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: BucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? false });
    const bucket = this.bucket.id;
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    const arn = this.bucket.arn;
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: policyDocument([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        ...(props.extraStatements?.(arn) ?? []),
      ]),
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket, rule: props.lifecycleRules });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, 'logging', {
        bucket,
        targetBucket: props.accessLogs.bucket,
        targetPrefix: props.accessLogs.prefix,
        dependsOn: props.accessLogs.dependsOn,
      });
    }
  }
}

/**
 * The AWS accounts of Elastic Load Balancing that deliver access logs in regions launched before
 * August 2022; newer regions use the `logdelivery.elasticloadbalancing.amazonaws.com` principal.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-central-1': '054676820928',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
};

export interface ArtifactStorageProps {
  readonly config: ArtifactsConfig;
  readonly region: string;
  readonly accountId: string;
  /** The stack key: the artifacts bucket's SSE-KMS key, granted with the bucket ({@link ArtifactStorage.grantReadWrite}). */
  readonly encryptionKey: EncryptionKey;
}

/** ALB access-log prefix inside the log bucket. */
export const ALB_LOG_PREFIX = 'alb';

export class ArtifactStorage extends Construct {
  public readonly artifacts: SecureBucket;
  public readonly logs: SecureBucket;
  /** `arn:aws:s3:::<bucket>` and the object ARN pattern for the MLflow prefix. */
  public readonly bucketArn: string;
  public readonly prefixObjectsArn: string;
  private readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: ArtifactStorageProps) {
    super(scope, id);
    const { config, region, accountId } = props;
    this.encryptionKey = props.encryptionKey;
    const elbAccount = ELB_LOG_ACCOUNTS[region];
    this.logs = new SecureBucket(this, 'logs', {
      bucketName: config.accessLogsBucketName,
      forceDestroy: config.forceDestroy,
      extraStatements: (arn) => [
        {
          Sid: 'ElbAccessLogDelivery',
          Effect: 'Allow',
          Principal: elbAccount ? { AWS: `arn:aws:iam::${elbAccount}:root` } : { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${arn}/${ALB_LOG_PREFIX}/AWSLogs/${accountId}/*`,
        },
        {
          Sid: 'S3ServerAccessLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${arn}/s3/*`,
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: config.accessLogRetentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    this.artifacts = new SecureBucket(this, 'artifacts', {
      bucketName: config.bucketName,
      forceDestroy: config.forceDestroy,
      kmsKeyArn: props.encryptionKey.arn,
      accessLogs: this.accessLogsTarget(`s3/${config.bucketName}/`),
      lifecycleRules: [
        {
          id: 'age-out-artifacts',
          status: 'Enabled',
          filter: [{ prefix: config.prefix }],
          transition: [
            { days: config.transitionToIaDays, storageClass: 'STANDARD_IA' },
            { days: config.transitionToGlacierDays, storageClass: 'GLACIER' },
          ],
          noncurrentVersionExpiration: [{ noncurrentDays: config.noncurrentVersionExpirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        {
          // Bucket-wide (empty filter): checkov CKV_AWS_300 wants the abort rule to cover every object.
          id: 'abort-incomplete-uploads',
          status: 'Enabled',
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    this.bucketArn = this.artifacts.bucket.arn;
    const singleRegion = {
      id: 'MLF-S3-11',
      reason: 'Single-region deployment: versioning, KMS and lifecycle rules protect the data, and cross-region replication would need a second-region bucket and key and double the storage.',
    };
    suppress(this.artifacts.bucket, [singleRegion]);
    suppress(this.logs.bucket, [
      singleRegion,
      {
        id: 'MLF-S3-2',
        reason: 'ELB access-log delivery supports only SSE-S3 (AES256) on the target bucket (AWS ELB docs, enable-access-logging), and this bucket also receives S3 server access logs.',
      },
      { id: 'MLF-S3-6', reason: 'This is the access-log target bucket; logging it into itself would loop, and only the ELB and S3 log-delivery services write to it.' },
    ]);
    this.prefixObjectsArn = `${this.bucketArn}/${config.prefix}*`;
  }

  /**
   * Read, write and delete the artifacts under `prefix` and nothing else in the bucket: list only
   * that prefix (Sid `ListArtifactPrefix`), objects under it (`ReadWriteArtifacts`), and the bucket's
   * KMS key for them (`ArtifactsKey`).
   */
  public grantReadWrite(grantee: IGrantable, prefix: string): void {
    grantee.addToPolicy({
      Sid: 'ListArtifactPrefix',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: this.bucketArn,
      Condition: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } },
    });
    grantee.addToPolicy({ Sid: 'ReadWriteArtifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${this.bucketArn}/${prefix}*` });
    this.encryptionKey.grantEncryptDecrypt(grantee, 'ArtifactsKey');
  }

  /** The logs bucket as a delivery target under `prefix`, ready once its policy exists. */
  public accessLogsTarget(prefix: string): AccessLogsTarget {
    return { bucket: this.logs.bucket.id, prefix, dependsOn: [this.logs.policy] };
  }
}
