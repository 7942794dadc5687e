/**
 * The stack adopts the import definitions it is given (a prop: stacks do no I/O); the app reads
 * `imports/<env>.json` and passes them in.
 */
import { Testing } from 'cdktf';
import { buildApp } from '../../src/app';
import { ImportDefinitions, ImportsError } from '../../src/config/imports';
import { production } from '../../src/config/environments/production';
import { staging } from '../../src/config/environments/staging';
import { MlflowStack } from '../../src/stacks/mlflow-stack';
import { APP_CONTEXT } from '../../src/synth';
import { Json } from '../helpers/synth';

const synth = (stack: MlflowStack): Json => JSON.parse(Testing.synth(stack));
const app = () => Testing.app({ context: APP_CONTEXT });

const stagingImports: ImportDefinitions = {
  environment: 'staging',
  imports: [
    { address: 'aws_s3_bucket.storage_artifacts_bucket', id: staging.artifacts.bucketName, reason: 'created by hand before the stack existed' },
    { address: 'aws_ecr_repository.registry_repository', id: staging.registry.repositoryName, reason: 'CI pushed images before the stack existed' },
  ],
};

describe('MlflowStack imports (a prop)', () => {
  test('a stack given import definitions adopts exactly them, as import blocks (in construct order)', () => {
    expect(synth(new MlflowStack(app(), staging, { imports: stagingImports })).import).toEqual([
      { id: 'fraud-scoring-staging-models-123456789012', to: 'aws_s3_bucket.storage_artifacts_bucket' },
      { id: 'fraud-scoring-staging/mlflow', to: 'aws_ecr_repository.registry_repository' },
    ]);
  });

  test('without definitions the stack adopts nothing, even where imports/<env>.json has some', () => {
    expect(synth(new MlflowStack(app(), production)).import).toBeUndefined();
    expect(synth(new MlflowStack(app(), production, { imports: { environment: 'production', imports: [] } })).import).toBeUndefined();
  });

  test('an address the stack does not have is an ImportsError naming it and the stack', () => {
    const defs: ImportDefinitions = { environment: 'staging', imports: [{ address: 'aws_s3_bucket.legacy_bucket', id: 'legacy-bucket', reason: 'made up for this test' }] };
    const build = () => new MlflowStack(app(), staging, { imports: defs });
    expect(build).toThrow(ImportsError);
    expect(build).toThrow('imports/staging.json: 1 problem:\n  - aws_s3_bucket.legacy_bucket is not an address of stack mlflow-staging');
  });

  test("another environment's definitions are refused", () => {
    expect(() => new MlflowStack(app(), staging, { imports: { ...stagingImports, environment: 'production' } })).toThrow(
      'imports/production.json: 1 problem:\n  - environment: is "production" but stack mlflow-staging is for "staging"',
    );
  });
});

describe('buildApp loads the definitions and passes them in', () => {
  test('by default from imports/<env>.json (production adopts three objects, staging none)', () => {
    const [stag, prod] = buildApp(app(), [staging, production]);
    expect(synth(prod).import.map((i: { to: string }) => i.to)).toEqual([
      'aws_route.network_private_routes_us_east_1a_nat',
      'aws_s3_bucket.storage_artifacts_bucket',
      'aws_s3_bucket_server_side_encryption_configuration.storage_artifacts_encryption',
    ]);
    expect(synth(stag).import).toBeUndefined();
  });

  test('from the given source, asked once per environment', () => {
    const asked: string[] = [];
    const [stag] = buildApp(app(), [staging], (config) => {
      asked.push(config.name);
      return stagingImports;
    });
    expect(asked).toEqual(['staging']);
    expect(synth(stag).import).toHaveLength(2);
  });
});
