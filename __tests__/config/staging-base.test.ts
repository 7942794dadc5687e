import { apprunnerStaging } from '../../src/config/environments/apprunner-staging';
import { stagingBase } from '../../src/config/environments/staging-base';
import { staging } from '../../src/config/environments/staging';
import { validateEnvironments } from '../../src/config/validate';

describe('the staging base shared by staging and apprunner-staging', () => {
  test.each([
    ['staging', staging, 30],
    ['apprunner-staging', apprunnerStaging, 40],
  ] as const)('%s takes its identity, backend, network, artifacts, registry and WAF from stagingBase', (env, config, vpcOctet) => {
    const base = stagingBase({ env, accountId: config.accountId, vpcOctet });
    expect(config).toMatchObject({ ...base.environment, artifacts: base.artifacts, registry: base.registry, waf: base.waf });
    expect(config.namePrefix).toBe(`fraud-scoring-${env}`);
    expect(config.backend).toEqual({ type: 's3', bucket: 'fraud-scoring-tfstate', key: `mlflow-${env}/terraform.tfstate`, region: 'us-east-1', useLockfile: true });
    expect(config.network.vpcCidr).toBe(`10.${vpcOctet}.0.0/16`);
    expect(config.network.privateSubnetCidrs).toEqual([`10.${vpcOctet}.10.0/24`, `10.${vpcOctet}.11.0/24`]);
    expect(config.artifacts.bucketName).toBe(`fraud-scoring-${env}-models-${config.accountId}`);
  });

  test('a base for another account and range is a valid environment start (names follow the account)', () => {
    const base = stagingBase({ env: 'staging', accountId: '210987654321', vpcOctet: 50 });
    expect(base.artifacts.bucketName).toBe('fraud-scoring-staging-models-210987654321');
    expect(base.artifacts.accessLogsBucketName).toBe('fraud-scoring-staging-mlflow-logs-210987654321');
    expect(base.environment.network.publicSubnetCidrs).toEqual(['10.50.0.0/24', '10.50.1.0/24']);
    expect(validateEnvironments([{ ...staging, ...base.environment, artifacts: base.artifacts }])).toEqual([]);
  });
});
