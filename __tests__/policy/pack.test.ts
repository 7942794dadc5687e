/**
 * The pack as a cdktf Aspect on real constructs: findings per resource, suppressions stored on
 * constructs (valid, reasonless, unknown rule, inherited from a parent), address suppressions,
 * unresolved tokens reported as unknown, annotations.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { App, Aspects, TerraformStack, TerraformVariable } from 'cdktf';
import { invokeAspects } from '../../src/cdktf-internals';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Finding, PolicyPack, PolicyPackOptions, SUPPRESSION_RULE_ID } from '../../src/policy/pack';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { PRODUCTION_CONTEXT_KEY, productionOf, setProduction } from '../../src/constructs/stack-context';
import { suppress } from '../../src/constructs/suppress';
import { production as productionConfig } from '../../src/config/environments/production';
import { staging as stagingConfig } from '../../src/config/environments/staging';
import { MlflowStack } from '../../src/stacks/mlflow-stack';

let outdir: string;
beforeAll(() => (outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-pack-'))));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function run(build: (stack: TerraformStack) => void, options: PolicyPackOptions = {}): { findings: Finding[]; stack: TerraformStack; unused: unknown[] } {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  build(stack);
  const pack = new PolicyPack(options);
  Aspects.of(stack).add(pack);
  invokeAspects(app);
  const [result] = pack.results();
  return { findings: result.findings, stack, unused: result.unusedSuppressions };
}

const find = (findings: Finding[], ruleId: string, address: string) => findings.find((f) => f.ruleId === ruleId && f.address === address);

describe('PolicyPack', () => {
  test('evaluates every applicable rule on each resource and the provider block', () => {
    const { findings } = run((s) => new S3Bucket(s, 'bucket', { bucket: 'artifacts' }));
    expect(find(findings, 'MLF-S3-3', 'aws_s3_bucket.bucket')).toEqual(expect.objectContaining({ status: 'fail', severity: 'medium', constructPath: 'bucket' }));
    expect(find(findings, 'MLF-S3-13', 'aws_s3_bucket.bucket')?.status).toBe('pass');
    expect(find(findings, 'MLF-GEN-2', 'provider.aws')).toEqual(expect.objectContaining({ status: 'fail', detail: 'default_tags lack Project, Environment, ManagedBy' }));
  });

  test('a suppression with a written reason suppresses the finding and keeps the reason', () => {
    const { findings } = run((s) => {
      const b = new S3Bucket(s, 'bucket', { bucket: 'artifacts' });
      suppress(b, [{ id: 'MLF-S3-3', reason: 'Scratch bucket for this test; nothing in it is kept.' }]);
    });
    expect(find(findings, 'MLF-S3-3', 'aws_s3_bucket.bucket')).toEqual(
      expect.objectContaining({ status: 'fail', suppression: { reason: 'Scratch bucket for this test; nothing in it is kept.', declaredAt: 'test/bucket' } }),
    );
    expect(findings.filter((f) => f.ruleId === SUPPRESSION_RULE_ID)).toEqual([]);
  });

  test('a suppression without a valid reason is an error of its own and suppresses nothing', () => {
    const { findings } = run((s) => {
      const b = new S3Bucket(s, 'bucket', { bucket: 'artifacts' });
      suppress(b, [
        { id: 'MLF-S3-3', reason: 'tmp' },
        { id: 'MLF-S3-4', reason: 'Public access is blocked at the account level' },
        { id: 'MLF-S3-6', reason: '' },
      ]);
    });
    const errors = findings.filter((f) => f.ruleId === SUPPRESSION_RULE_ID).map((f) => f.detail);
    expect(errors).toEqual([
      'the suppression of MLF-S3-3 declared at test/bucket has a reason of 3 characters ("tmp"); write at least one sentence of 20 or more characters; it suppresses nothing',
      'the suppression of MLF-S3-4 declared at test/bucket has a reason that is not a sentence ("Public access is blocked at the account level"); end it with a period; it suppresses nothing',
      'the suppression of MLF-S3-6 declared at test/bucket has no reason; it suppresses nothing',
    ]);
    expect(findings.filter((f) => f.ruleId === SUPPRESSION_RULE_ID).every((f) => f.status === 'fail' && f.severity === 'high')).toBe(true);
    expect(find(findings, 'MLF-S3-3', 'aws_s3_bucket.bucket')?.suppression).toBeUndefined();
  });

  test('a suppression naming an unknown rule is an error', () => {
    const { findings } = run((s) => suppress(new S3Bucket(s, 'bucket', { bucket: 'artifacts' }), [{ id: 'MLF-S3-99', reason: 'This rule id does not exist anywhere.' }]));
    expect(findings.find((f) => f.ruleId === SUPPRESSION_RULE_ID)?.detail).toContain('names the unknown rule id "MLF-S3-99"');
  });

  test('a suppression on a construct covers the resources below it; unused ones are listed', () => {
    const { findings, unused } = run((s) => {
      const group = new Construct(s, 'storage');
      new S3Bucket(group, 'one', { bucket: 'one-bucket' });
      new S3Bucket(group, 'two', { bucket: 'two-bucket' });
      suppress(group, [
        { id: 'MLF-S3-11', reason: 'Single-region test deployment without a replica.' },
        { id: 'MLF-ALB-3', reason: 'There is no load balancer under this construct.' },
      ]);
    });
    const replicated = findings.filter((f) => f.ruleId === 'MLF-S3-11');
    expect(replicated).toHaveLength(2);
    expect(replicated.every((f) => f.suppression?.declaredAt === 'test/storage')).toBe(true);
    expect(unused).toEqual([{ id: 'MLF-ALB-3', reason: 'There is no load balancer under this construct.', declaredAt: 'test/storage' }]);
  });

  test('address suppressions apply to the named address (and stacks) with their reason', () => {
    const reason = 'Suppressed by address for a construct file this team does not own.';
    const { findings } = run((s) => new S3Bucket(s, 'bucket', { bucket: 'artifacts' }), {
      addressSuppressions: [
        { address: 'aws_s3_bucket.bucket', id: 'MLF-S3-3', reason },
        { address: 'aws_s3_bucket.bucket', id: 'MLF-S3-4', reason, stacks: ['another-stack'] },
      ],
    });
    expect(find(findings, 'MLF-S3-3', 'aws_s3_bucket.bucket')?.suppression?.reason).toBe(reason);
    expect(find(findings, 'MLF-S3-4', 'aws_s3_bucket.bucket')?.suppression).toBeUndefined();
  });

  test('an unresolved token is unknown, never a silent pass', () => {
    const { findings } = run((s) => {
      const protect = new TerraformVariable(s, 'protect', { type: 'bool' });
      new Lb(s, 'alb', { name: 'alb', internal: false, enableDeletionProtection: protect.booleanValue });
    });
    expect(find(findings, 'MLF-ALB-3', 'aws_lb.alb')).toEqual(expect.objectContaining({ status: 'unknown', detail: 'enable_deletion_protection is the unresolved expression ${var.protect}' }));
  });

  test('the production flag can be forced for plain stacks', () => {
    const build = (s: TerraformStack) => new S3Bucket(s, 'bucket', { bucket: 'artifacts' });
    expect(run(build, { production: true }).findings.length).toBeGreaterThan(0);
  });

  describe('production or not: from the stack\'s construct context, not its class', () => {
    // Five days of backups: enough outside production (2), too few in production (7).
    const database = (s: TerraformStack) => new DbInstance(s, 'db', { instanceClass: 'db.t3.micro', engine: 'postgres', backupRetentionPeriod: 5 });
    const retention = (findings: Finding[]) => find(findings, 'MLF-RDS-5', 'aws_db_instance.db');
    const runIn = (context: Record<string, unknown>, mark: boolean | undefined, options: PolicyPackOptions = {}) => {
      const app = new App({ outdir, stackTraces: false, context });
      const stack = new TerraformStack(app, 'test');
      if (mark !== undefined) setProduction(stack, mark);
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      database(stack);
      const pack = new PolicyPack(options);
      Aspects.of(stack).add(pack);
      invokeAspects(app);
      return pack.results()[0];
    };

    test('a plain stack marked production is checked as production', () => {
      const marked = runIn({}, true);
      expect(marked.production).toBe(true);
      expect(retention(marked.findings)).toEqual(expect.objectContaining({ status: 'fail', detail: 'backup_retention_period is 5; allowed 7..35' }));
      const unmarked = runIn({}, undefined);
      expect(unmarked.production).toBe(false);
      expect(retention(unmarked.findings)?.status).toBe('pass');
      expect(retention(runIn({}, false).findings)?.status).toBe('pass');
    });

    test('app context applies to every stack, as a boolean or a command-line string; the stack\'s own mark wins', () => {
      expect(runIn({ [PRODUCTION_CONTEXT_KEY]: 'true' }, undefined).production).toBe(true);
      expect(runIn({ [PRODUCTION_CONTEXT_KEY]: true }, undefined).production).toBe(true);
      expect(runIn({ [PRODUCTION_CONTEXT_KEY]: 'true' }, false).production).toBe(false);
    });

    test('the production option overrides the context', () => {
      expect(runIn({}, true, { production: false }).production).toBe(false);
      expect(runIn({}, false, { production: true }).production).toBe(true);
    });

    test('a context value that is not a boolean is an error naming the key and the value', () => {
      expect(() => runIn({ [PRODUCTION_CONTEXT_KEY]: 'yes' }, undefined)).toThrow('construct context mlflow-infra:production of test: "yes" must be true or false');
    });

    test('MlflowStack marks itself from config.production', () => {
      const app = new App({ outdir, stackTraces: false, skipValidation: true });
      expect(productionOf(new MlflowStack(app, productionConfig))).toBe(true);
      expect(productionOf(new MlflowStack(app, stagingConfig))).toBe(false);
    });
  });

  test('annotate adds cdktf error annotations for unsuppressed failures', () => {
    let bucket: S3Bucket | undefined;
    run((s) => (bucket = new S3Bucket(s, 'bucket', { bucket: 'artifacts' })), { annotate: true });
    const errors = bucket!.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => String(m.data));
    expect(errors.some((e) => e.startsWith('[MLF-S3-3]'))).toBe(true);
  });
});
