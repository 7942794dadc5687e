/**
 * One MLflow environment as one cdktf stack (`mlflow-<env>`): providers, backend, and the
 * constructs for each AWS concern, wired together.
 */
import { Construct } from 'constructs';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { EnvironmentConfig } from '../config/types';
import { ReadableIdsStack } from './logical-ids';

export class MlflowStack extends ReadableIdsStack {
  public readonly config: EnvironmentConfig;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config.stackName);
    this.config = config;

    new AwsProvider(this, 'aws', {
      region: config.region,
      allowedAccountIds: [config.accountId],
      defaultTags: [
        {
          tags: {
            Project: config.project,
            Environment: config.name,
            ManagedBy: 'terraform',
            ...(config.tags ?? {}),
          },
        },
      ],
    });
    new RandomProvider(this, 'random');
    this.addOverride('terraform.required_providers.aws.version', config.awsProviderVersion);
    this.configureBackend(config);
  }

  private configureBackend(config: EnvironmentConfig): void {
    const backend = config.backend;
    switch (backend.type) {
      case 'local':
        new LocalBackend(this, { path: backend.path });
        break;
      case 's3':
        new S3Backend(this, {
          bucket: backend.bucket,
          key: backend.key,
          region: backend.region,
          encrypt: true,
          dynamodbTable: backend.dynamodbTable,
        });
        // cdktf 0.20's S3Backend predates Terraform 1.10's S3-native locking.
        this.addOverride('terraform.backend.s3.use_lockfile', backend.useLockfile ?? true);
        break;
      case 'cloud':
        new CloudBackend(this, {
          organization: backend.organization,
          hostname: backend.hostname,
          workspaces: new NamedCloudWorkspace(backend.workspace),
        });
        break;
    }
  }
}
