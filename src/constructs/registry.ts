/**
 * The ECR repository the service pulls from: immutable tags, scan on push, KMS encryption, and a
 * lifecycle policy that keeps the last N tagged images and expires untagged ones.
 */
import { Construct } from 'constructs';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { RegistryConfig } from '../config/types';
import { suppress } from '../policy/suppress';

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
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${config.untaggedExpiryDays} days`,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: config.untaggedExpiryDays },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: `Keep the last ${config.keepImages} tagged images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: config.keepImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });
    const image = config.image;
    this.imageUri = 'digest' in image ? `${this.repository.repositoryUrl}@${image.digest}` : `${this.repository.repositoryUrl}:${image.tag}`;
  }
}
