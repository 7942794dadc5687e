/**
 * What the two staging environments (`staging.ts` on ECS, `apprunner-staging.ts` on App Runner)
 * share: identity, backend, a single-NAT two-AZ network, the disposable artifacts buckets, the
 * registry and the WAF settings. Each environment adds its database, runtime and edge. The blocks
 * are returned separately so each environment keeps its fields in the usual order (the synth
 * warning lists example values in field order).
 */
import { ArtifactsConfig, BaseEnvironmentConfig, RegistryConfig, WafConfig } from '../types';

const PROJECT = 'fraud-scoring';

export interface StagingBaseProps {
  /** The environment name, e.g. `staging`: the stack is `mlflow-<env>`, names start `fraud-scoring-<env>`. */
  readonly env: string;
  /** The AWS account id (the environment file marks it `supply:`). */
  readonly accountId: string;
  /** The VPC is `10.<vpcOctet>.0.0/16`: public subnets `.0/.1`, private `.10/.11`. */
  readonly vpcOctet: number;
}

export interface StagingBase {
  /** `name` … `network`: the first fields of the environment. */
  readonly environment: Pick<
    BaseEnvironmentConfig,
    'name' | 'stackName' | 'production' | 'project' | 'namePrefix' | 'region' | 'accountId' | 'awsProviderVersion' | 'backend' | 'network'
  >;
  readonly artifacts: ArtifactsConfig;
  readonly registry: RegistryConfig;
  readonly waf: WafConfig;
}

export function stagingBase({ env, accountId, vpcOctet }: StagingBaseProps): StagingBase {
  const project = PROJECT;
  const prefix = `${project}-${env}`;
  const cidr = (third: number, bits: number) => `10.${vpcOctet}.${third}.0/${bits}`;
  return {
    environment: {
      name: env,
      stackName: `mlflow-${env}`,
      production: false,
      project,
      namePrefix: prefix,
      region: 'us-east-1',
      accountId,
      awsProviderVersion: '>= 5.0, < 6.0',
      backend: {
        type: 's3',
        bucket: `${project}-tfstate`,
        key: `mlflow-${env}/terraform.tfstate`,
        region: 'us-east-1',
        useLockfile: true,
      },
      network: {
        vpcCidr: cidr(0, 16),
        availabilityZones: ['us-east-1a', 'us-east-1b'],
        publicSubnetCidrs: [cidr(0, 24), cidr(1, 24)],
        privateSubnetCidrs: [cidr(10, 24), cidr(11, 24)],
        natGateways: 'single',
        flowLogRetentionDays: 90,
      },
    },
    artifacts: {
      bucketName: `${prefix}-models-${accountId}`,
      prefix: 'mlflow-artifacts/',
      transitionToIaDays: 30,
      transitionToGlacierDays: 90,
      noncurrentVersionExpirationDays: 30,
      accessLogsBucketName: `${prefix}-mlflow-logs-${accountId}`,
      accessLogRetentionDays: 90,
      // A disposable environment: destroy empties the buckets (the log bucket is never empty).
      forceDestroy: true,
      mode: 'direct',
    },
    registry: {
      repositoryName: `${prefix}/mlflow`,
      untaggedExpiryDays: 7,
      image: { tag: 'mlflow-2.18.0' },
    },
    waf: { rateLimitPer5Minutes: 1000, logRetentionDays: 90 },
  };
}
