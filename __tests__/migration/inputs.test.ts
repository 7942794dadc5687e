import * as fs from 'node:fs';
import * as path from 'node:path';
import { production } from '../../src/config/environments/production';
import { ImportsError, parseImports } from '../../src/config/imports';
import { loadImports } from '../../src/config/imports-file';
import { validateImports } from '../../src/migration/imports';
import { OverridesError, validateOverrides } from '../../src/migration/overrides';
import { planMigration } from '../../src/migration/planner';
import { simulate } from '../../src/migration/simulate';
import { StackJson } from '../../src/migration/stack';
import { listAddresses, readState } from '../../src/terraform-json/state';
import { verifyMigration } from '../../src/migration/verify';
import { synthStack } from '../helpers/synth';
import { cli, LEGACY_STATE, readJson, SYNTHETIC_STACK, tmpDir } from './helpers';

const legacy = readState(LEGACY_STATE);
const overrides = validateOverrides({ moves: [{ from: 'aws_iam_role_policy.ecs_task_s3', to: 'aws_iam_role_policy.service_task_artifacts' }] });
const plan = planMigration({ legacy, stack: readJson<StackJson>(SYNTHETIC_STACK), stackName: 'mlflow-production', overrides });

describe('overrides file validation', () => {
  test('collects every problem, each naming its field', () => {
    expect(() =>
      validateOverrides({
        moves: [{ from: 'aws_vpc.main', to: 'not an address' }, { from: 'aws_vpc.main', to: 'aws_vpc.x' }],
        retire: [{ address: 'aws_eip.nat' }],
        positional: [{ from: 'aws_subnet.public[0]', to: [] }],
        extra: true,
      }),
    ).toThrow(
      new OverridesError(
        [
          'extra: unknown field (allowed: moves, positional, retire)',
          'moves[0].to: "not an address" is not a managed resource instance address (e.g. aws_subnet.public[0], module.x.aws_vpc.this)',
          'positional[0].from: "aws_subnet.public[0]" must be a resource address without an instance key',
          'positional[0].to: expected a non-empty list of addresses',
          "retire[0].reason: required (say why the resource leaves Terraform's management)",
          'moves[1].from: "aws_vpc.main" is already decided by moves[0].from',
        ],
        'overrides',
      ),
    );
  });

  test('two sources to one target are refused', () => {
    expect(() => validateOverrides({ moves: [{ from: 'aws_vpc.a', to: 'aws_vpc.t' }, { from: 'aws_vpc.b', to: 'aws_vpc.t' }] })).toThrow(
      'moves[1].to: target "aws_vpc.t" is already the target of moves[0].to (never two sources to one target)',
    );
  });
});

describe('simulate and verify (pure TypeScript)', () => {
  test('simulate moves count instances to non-indexed addresses, bumps the serial, keeps the lineage, leaves the input alone', () => {
    const before = JSON.stringify(legacy);
    const result = simulate(plan, legacy);
    expect(result.state.serial).toBe(43);
    expect(result.state.lineage).toBe(legacy.lineage);
    expect(result.addresses).toEqual(plan.entries.map((e) => e.target!).sort());
    expect(result.addresses).toContain('aws_subnet.network_public_subnet_us_east_1a');
    const moved = result.state.resources.find((r) => r.name === 'network_public_subnet_us_east_1a')!;
    expect(moved.instances[0].index_key).toBeUndefined();
    expect(moved.instances[0].attributes!.id).toBe('subnet-0aa11bb22cc33dd44');
    expect(JSON.stringify(legacy)).toBe(before);
  });

  test('simulate refuses a state of another lineage', () => {
    expect(() => simulate(plan, { ...legacy, lineage: 'x' })).toThrow(`the state's lineage x is not the plan's ${legacy.lineage}: this plan was made for another state`);
  });

  test('verify: the simulated result passes in same-state mode; a duplicate and a missing instance are listed', () => {
    const result = simulate(plan, legacy);
    expect(verifyMigration(plan, result.state, undefined, false)).toEqual({ ok: true, problems: [], checked: 34 });
    const broken = JSON.parse(JSON.stringify(result.state)) as typeof legacy;
    broken.resources = broken.resources.filter((r) => r.name !== 'database_instance');
    broken.resources.push(JSON.parse(JSON.stringify(legacy.resources.find((r) => r.type === 'aws_vpc'))));
    const v = verifyMigration(plan, broken, undefined, false);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      'aws_db_instance.mlflow: missing at aws_db_instance.database_instance in the state',
      'aws_vpc id vpc-0a1b2c3d4e5f60718 is held by 2 addresses: aws_vpc.main, aws_vpc.network_vpc',
      'aws_vpc.main: still in the state (duplicated: also at aws_vpc.network_vpc)',
    ]);
  });
});

describe('imports/', () => {
  test('the shipped definitions load and are valid against the synthesized production stack', () => {
    const defs = loadImports('production');
    expect(defs.imports.map((d) => [d.address, d.id])).toEqual([
      ['aws_s3_bucket.storage_artifacts_bucket', 'fraud-scoring-models-123456789012'],
      ['aws_s3_bucket_server_side_encryption_configuration.storage_artifacts_encryption', 'fraud-scoring-models-123456789012'],
      // The legacy private route table's inline default route, now its own aws_route (issue 13).
      ['aws_route.network_private_routes_us_east_1a_nat', 'rtb-0prv0prv0prv0prv0_0.0.0.0/0'],
    ]);
    expect(defs.imports[0].id).toBe(production.artifacts.bucketName);
    const legacyPrivateTable = (JSON.parse(fs.readFileSync(LEGACY_STATE, 'utf8')) as { resources: { type: string; name: string; instances: { attributes: { id: string } }[] }[] }).resources.find(
      (r) => r.type === 'aws_route_table' && r.name === 'private',
    )!;
    expect(defs.imports[2].id).toBe(`${legacyPrivateTable.instances[0].attributes.id}_0.0.0.0/0`);
    expect(validateImports(defs, synthStack(production) as StackJson)).toEqual([]);
    expect(loadImports('staging').imports).toEqual([]);
  });

  test('ID shape per type and field names in every error', () => {
    expect(() =>
      parseImports(
        {
          environment: 'production',
          imports: [
            { address: 'aws_s3_bucket.b', id: 'Fraud_Models', reason: 'r' },
            { address: 'aws_acm_certificate.c', id: 'arn:aws:acm:us-east-1:123:certificate/x', reason: 'r' },
            { address: 'aws_ecr_repository.r', id: 'Team/MLflow', reason: 'r' },
            { address: 'aws_lambda_function.f', id: 'f', reason: 'r' },
            { address: 'aws_s3_bucket.b', id: 'fraud-models', reason: '' },
          ],
        },
        'imports/production.json',
        'production',
      ),
    ).toThrow(
      new ImportsError(
        [
          'imports[0].id: "Fraud_Models" is not valid for aws_s3_bucket: the bucket name may contain only lower-case letters, digits, dots and hyphens, and must start and end with a letter or digit',
          'imports[1].id: "arn:aws:acm:us-east-1:123:certificate/x" is not valid for aws_acm_certificate: the certificate ARN must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)',
          'imports[2].id: "Team/MLflow" is not valid for aws_ecr_repository: the repository name must be an ECR repository name (lower-case, 2-256 characters, segments separated by "/", ".", "_" or "-")',
          'imports[3].address: no import ID rule for type aws_lambda_function (supported: aws_acm_certificate, aws_cloudwatch_log_group, aws_ecr_repository, aws_iam_role, aws_kms_key, aws_route, aws_route53_zone, aws_s3_bucket, aws_s3_bucket_lifecycle_configuration, aws_s3_bucket_ownership_controls, aws_s3_bucket_policy, aws_s3_bucket_public_access_block, aws_s3_bucket_server_side_encryption_configuration, aws_s3_bucket_versioning, aws_secretsmanager_secret)',
          'imports[4].reason: required (why the object exists outside any state)',
          'imports[4].address: aws_s3_bucket.b is already imported by imports[0]',
        ],
        'imports/production.json',
      ),
    );
  });

  test('against the stack: unknown address, and an ID that is not the configured bucket (directly or through a reference)', () => {
    const stack = synthStack(production) as StackJson;
    const problems = validateImports(
      {
        environment: 'production',
        imports: [
          { address: 'aws_s3_bucket.artifacts', id: 'fraud-scoring-models-123456789012', reason: 'r' },
          { address: 'aws_s3_bucket.storage_artifacts_bucket', id: 'other-bucket', reason: 'r' },
          { address: 'aws_s3_bucket_versioning.storage_artifacts_versioning', id: 'other-bucket', reason: 'r' },
        ],
      },
      stack,
    );
    expect(problems).toEqual([
      'imports/production.json imports[0].address: aws_s3_bucket.artifacts is not in the stack (resources of that type: aws_s3_bucket.storage_artifacts_bucket, aws_s3_bucket.storage_logs_bucket)',
      'imports/production.json imports[1].id: "other-bucket" is not the configured bucket "fraud-scoring-models-123456789012" of aws_s3_bucket.storage_artifacts_bucket (importing it would plan a replacement)',
      'imports/production.json imports[2].id: "other-bucket" is not the configured bucket "fraud-scoring-models-123456789012" of aws_s3_bucket_versioning.storage_artifacts_versioning (importing it would plan a replacement)',
    ]);
  });

  test('an import target that is also a move target is a plan blocker', () => {
    const stack = readJson<StackJson>(SYNTHETIC_STACK);
    stack.import = [{ to: 'aws_vpc.network_vpc', id: 'vpc-1' }];
    const p = planMigration({ legacy, stack, stackName: 's', overrides });
    expect(p.blockers).toContain('aws_vpc.network_vpc is both the target of aws_vpc.main and of an import block: remove it from imports/');
  });
});

describe('CLI exit codes and messages', () => {
  test('usage errors exit 64 with the usage', async () => {
    const r = await cli(['migrate', 'plan', '--state', 'x'], tmpDir());
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('missing required options: --stack, --out');
    const both = await cli(['migrate', 'apply', '--plan', 'p', '--from-state', 'a', '--to-state', 'b', '--same-state'], tmpDir());
    expect(both.code).toBe(64);
    expect(both.stderr).toContain('give exactly one of --to-state <file> and --same-state');
  });

  test('plan exits 1 with the unmapped reason when an instance is undecided; bad input is one clear line', async () => {
    const dir = tmpDir();
    const r = await cli(['migrate', 'plan', '--state', LEGACY_STATE, '--stack', SYNTHETIC_STACK, '--out', 'moves.json', '--no-terraform'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('BLOCKERS:\n  - aws_iam_role_policy.ecs_task_s3 is unmapped');
    expect(readJson<{ summary: { unmapped: number } }>(path.join(dir, 'moves.json')).summary.unmapped).toBe(1);
    fs.writeFileSync(path.join(dir, 'bad.tfstate'), '{"version":3}');
    const bad = await cli(['migrate', 'plan', '--state', 'bad.tfstate', '--stack', SYNTHETIC_STACK, '--out', 'm.json', '--no-terraform'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `mlflow-infra migrate plan: ${path.join(dir, 'bad.tfstate')}: version is 3; only state format version 4 (Terraform >= 0.12) is supported; serial is missing or not a number; lineage is missing; resources is missing or not a list\n`,
    );
  });

  test('simulate writes the result and prints the addresses', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'moves.json'), JSON.stringify(plan));
    const r = await cli(['migrate', 'simulate', '--plan', 'moves.json', '--state', LEGACY_STATE, '--out', 'result.tfstate'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 34)).toEqual(listAddresses(readState(path.join(dir, 'result.tfstate')), 'managed'));
    expect(r.stdout).toContain('(34 instances, serial 43; written to result.tfstate)');
  });

  test('check-imports validates the environment file', async () => {
    const r = await cli(['migrate', 'check-imports', '--env', 'production', '--stack', SYNTHETIC_STACK], tmpDir());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('aws_s3_bucket.storage_artifacts_bucket is not in the stack (resources of that type: aws_s3_bucket.artifacts_access_logs_bucket, aws_s3_bucket.artifacts_bucket)');
  });
});
