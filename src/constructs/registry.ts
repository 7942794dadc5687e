/**
 * The ECR repository the service pulls from: immutable tags, scan on push, KMS encryption, and a
 * lifecycle policy that expires untagged images only.
 */
import { Construct } from 'constructs';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { RegistryConfig } from '../config/types';
import { IGrantable } from './iam';
import { suppress } from './suppress';

/**
 * The repository's lifecycle policy: expire untagged images after `untaggedExpiryDays`, and
 * nothing else. Every image `docker/build-push` pushes carries an immutable tag (the commit), and
 * any tagged image may be the one a stack runs (pinned by tag or by digest) or the one a rollback
 * needs: a count rule over tagged images ("keep the last N") would sooner or later expire the
 * running image, and scale-out or task replacement would then fail with CannotPullContainerError.
 * Deleting a tagged image is a deliberate `aws ecr batch-delete-image` (docs/operations.md).
 */
export function lifecyclePolicy(config: Pick<RegistryConfig, 'untaggedExpiryDays'>): { rules: Record<string, unknown>[] } {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${config.untaggedExpiryDays} days (tagged images are deployable and never expire)`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: config.untaggedExpiryDays },
        action: { type: 'expire' },
      },
    ],
  };
}

/** The ECR actions that pull an image (layers and manifest) from one repository. */
export const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;

export interface GrantPullOptions {
  /**
   * Also `ecr:DescribeImages`, which App Runner's access role uses to resolve the image
   * (as AWS's AWSAppRunnerServicePolicyForECRAccess grants). @default false
   */
  readonly describeImages?: boolean;
}

export interface ImageRepositoryProps {
  readonly config: RegistryConfig;
  readonly kmsKeyArn: string;
}

export class ImageRepository extends Construct {
  public readonly repository: EcrRepository;
  /** The image the service runs: `<repository_url>@sha256:...` or `<repository_url>:<tag>`. */
  public readonly imageUri: string;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    const { config } = props;
    this.repository = new EcrRepository(this, 'repository', {
      name: config.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: false,
    });
    suppress(this.repository, [
      {
        id: 'MLF-ECR-5',
        reason: 'Access is granted only by IAM identity policies of this account (the task execution role pulls, CI pushes) and nothing is cross-account, so a repository policy would only repeat them.',
      },
    ]);
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify(lifecyclePolicy(config)),
    });
    const image = config.image;
    this.imageUri = 'digest' in image ? `${this.repository.repositoryUrl}@${image.digest}` : `${this.repository.repositoryUrl}:${image.tag}`;
  }

  /**
   * Pull this repository's images: the registry login (`ecr:GetAuthorizationToken`, which AWS does
   * not let any policy scope to a repository, Sid `EcrLogin`) and the pull actions on this
   * repository only (Sid `PullMlflowImage`). Decrypting the KMS-encrypted layers is the key's grant.
   */
  public grantPull(grantee: IGrantable, options: GrantPullOptions = {}): void {
    grantee.addToPolicy({ Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
    grantee.addToPolicy({
      Sid: 'PullMlflowImage',
      Effect: 'Allow',
      Action: [...ECR_PULL_ACTIONS, ...(options.describeImages ? ['ecr:DescribeImages'] : [])],
      Resource: this.repository.arn,
    });
  }
}
