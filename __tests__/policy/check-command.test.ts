/** `mlflow-infra check`: formats, exit codes, usage errors, config errors; and the report renderers. */
import { main } from '../../src/cli/main';
import { CliIo } from '../../src/cli/command';
import { Finding, StackFindings } from '../../src/policy/pack';
import { buildReports, hasUnsuppressedFailure, renderJson, renderMarkdown, renderText } from '../../src/policy/report';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => Buffer.alloc(0), isTty: false, env, cwd: process.cwd() };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

describe('mlflow-infra check', () => {
  test('JSON report of every stack, exit 0 when nothing fails unsuppressed', async () => {
    const t = io();
    expect(await main(['check', '--format', 'json'], t.cli)).toBe(0);
    const report = JSON.parse(t.out()) as { failed: boolean; stacks: { stack: string; failures: unknown[]; suppressed: { suppression: { reason: string } }[] }[] };
    expect(report.failed).toBe(false);
    expect(report.stacks.map((s) => s.stack)).toContain('mlflow-production');
    expect(report.stacks.every((s) => s.failures.length === 0)).toBe(true);
    expect(report.stacks.flatMap((s) => s.suppressed).every((f) => f.suppression.reason.endsWith('.'))).toBe(true);
    expect(t.err()).toContain('check: building and checking');
  });

  test('--stack limits the report; markdown for PRs', async () => {
    const t = io();
    expect(await main(['check', '--stack', 'mlflow-production', '--format', 'markdown'], t.cli)).toBe(0);
    expect(t.out()).toContain('## ✅ `mlflow-production` (production)');
    expect(t.out()).not.toContain('mlflow-staging');
    expect(t.out()).toContain('| MLF-ALB-5 | `aws_lb.edge_alb` |');
  });

  test('unknown stack or format is a usage error (64) naming what is allowed', async () => {
    const a = io();
    expect(await main(['check', '--stack', 'mlflow-nope'], a.cli)).toBe(64);
    expect(a.err()).toContain("unknown stack 'mlflow-nope'; stacks: mlflow-staging, mlflow-production");
    const b = io();
    expect(await main(['check', '--format', 'xml'], b.cli)).toBe(64);
    expect(b.err()).toContain("--format 'xml' is not one of text, markdown, json");
    const c = io();
    expect(await main(['check', '--format', 'jsno'], c.cli)).toBe(64);
    expect(c.err()).toContain("--format 'jsno' is not one of text, markdown, json (did you mean json?)");
  });

  test('an invalid configuration exits 1 with the problem', async () => {
    const t = io({ MLFLOW_IMAGE_DIGEST_PRODUCTION: 'sha256:not-a-digest' });
    expect(await main(['check', '--stack', 'mlflow-production'], t.cli)).toBe(1);
    expect(t.err()).toContain('invalid configuration');
  });
});

describe('report', () => {
  const base = { stack: 's', address: 'aws_s3_bucket.b', resourceType: 'aws_s3_bucket', constructPath: 'b', ruleName: 'X', severity: 'high' as const };
  const findings: Finding[] = [
    { ...base, ruleId: 'MLF-S3-10', status: 'fail', detail: 'no lifecycle' },
    { ...base, ruleId: 'MLF-S3-2', status: 'fail', detail: 'not KMS', suppression: { reason: 'ELB log delivery needs SSE-S3.', declaredAt: 's/b' } },
    { ...base, ruleId: 'MLF-S3-3', status: 'pass' },
    { ...base, ruleId: 'MLF-S3-13', status: 'unknown', detail: 'bucket is an expression' },
  ];
  const results: StackFindings[] = [{ stack: 's', production: true, findings, unusedSuppressions: [] }];
  const reports = buildReports(results);

  test('an unsuppressed failure fails the check; suppressed and unknown do not', () => {
    expect(hasUnsuppressedFailure(reports)).toBe(true);
    expect(hasUnsuppressedFailure(buildReports([{ ...results[0], findings: findings.slice(1) }]))).toBe(false);
    expect(reports[0].summary).toEqual({ passed: 1, failed: 1, suppressed: 1, unknown: 1, notApplicable: 0 });
  });

  test('text lists failures, unknowns, suppressed findings with reasons, and passed rules', () => {
    expect(renderText(reports).split('\n')).toEqual([
      'Stack s (production): 1 failed, 1 suppressed, 1 unknown, 1 passed, 0 not applicable',
      '  FAIL    [high] MLF-S3-10 aws_s3_bucket.b: no lifecycle',
      '  UNKNOWN [high] MLF-S3-13 aws_s3_bucket.b: bucket is an expression',
      '  SUPPRESSED MLF-S3-2 aws_s3_bucket.b: ELB log delivery needs SSE-S3.',
      '  PASSED  MLF-S3-3(1)',
      '',
    ]);
  });

  test('markdown and JSON carry the same findings', () => {
    expect(renderMarkdown(reports)).toContain('| high | MLF-S3-10 | `aws_s3_bucket.b` | no lifecycle |');
    expect(JSON.parse(renderJson(reports)).failed).toBe(true);
  });
});
