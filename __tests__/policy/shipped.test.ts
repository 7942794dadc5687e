/**
 * The shipped stacks pass the pack: no unsuppressed failure and nothing unevaluable, with the
 * design exceptions suppressed (with reasons) where RULES.md expects them.
 */
import { environments } from '../../src/config/environments';
import { apprunnerStaging } from '../../src/config/environments/apprunner-staging';
import { AppRunnerEnvironmentConfig } from '../../src/config/types';
import { checkEnvironments } from '../../src/policy-check';
import { buildReports } from '../../src/policy/report';
import { reasonProblem } from '../../src/constructs/suppress';

const results = checkEnvironments(environments);
const reports = buildReports(results);

describe('shipped stacks', () => {
  test('every shipped stack is checked, with its production flag from the MlflowStack config', () => {
    expect(results.map((r) => [r.stack, r.production])).toEqual(
      environments.map((e) => [e.stackName, e.production] as [string, boolean]).sort(([a], [b]) => a.localeCompare(b)),
    );
    expect(results.find((r) => r.stack === 'mlflow-production')?.production).toBe(true);
  });

  /**
   * The exact outcome counts per stack. They move when a stack gains or loses resources or the pack
   * gains rules: update them with the change that explains it (a drop in `passed` with no such
   * change means evaluations were lost).
   */
  const SUMMARIES: Record<string, (typeof reports)[number]['summary']> = {
    'mlflow-apprunner-staging': { passed: 175, failed: 0, suppressed: 12, unknown: 0, notApplicable: 71 },
    'mlflow-production': { passed: 297, failed: 0, suppressed: 23, unknown: 0, notApplicable: 121 },
    'mlflow-staging': { passed: 277, failed: 0, suppressed: 21, unknown: 0, notApplicable: 106 },
  };

  test.each(reports.map((r) => [r.stack, r] as const))('%s has no unsuppressed failure and nothing unknown; exact outcome counts', (stack, report) => {
    expect(report.failures.map((f) => `${f.ruleId} ${f.address}: ${f.detail}`)).toEqual([]);
    expect(report.unknown.map((f) => `${f.ruleId} ${f.address}: ${f.detail}`)).toEqual([]);
    expect(report.summary).toEqual(SUMMARIES[stack]);
  });

  test('every suppression carries a valid written reason', () => {
    for (const r of reports) for (const f of r.suppressed) expect(reasonProblem(f.suppression!.reason)).toBeUndefined();
  });

  test('the design exceptions are suppressed, not passed or dropped', () => {
    const production = reports.find((r) => r.stack === 'mlflow-production')!;
    const suppressed = production.suppressed.map((f) => `${f.ruleId} ${f.address}`);
    expect(suppressed).toEqual(
      expect.arrayContaining([
        'MLF-ALB-5 aws_lb.edge_alb',
        'MLF-SG-6 aws_security_group.security_alb',
        'MLF-SG-5 aws_security_group.security_alb',
        'MLF-S3-2 aws_s3_bucket.storage_logs_bucket',
        'MLF-S3-6 aws_s3_bucket.storage_logs_bucket',
        'MLF-S3-11 aws_s3_bucket.storage_artifacts_bucket',
        'MLF-ALB-12 aws_lb_target_group.edge_target_group',
      ]),
    );
  });

  test("production's Performance Insights uses the stack key (the legacy storage keeps aws/rds): MLF-RDS-11 passes, nothing suppresses it", () => {
    const production = reports.find((r) => r.stack === 'mlflow-production')!;
    expect(production.suppressed.filter((f) => f.ruleId === 'MLF-RDS-11')).toEqual([]);
    expect(production.passedRules).toContainEqual({ ruleId: 'MLF-RDS-11', resources: 1 });
  });
});

describe('unauthenticated entrances fail the check (issue 13)', () => {
  test('App Runner with only the WAF allow-list (MLFLOW_AUTH none) fails MLF-APR-8', () => {
    const config: AppRunnerEnvironmentConfig = { ...apprunnerStaging, appRunner: { ...apprunnerStaging.appRunner, protection: 'waf-allow-list' }, waf: { allowListCidrs: ['203.0.113.0/24'] } };
    const [report] = buildReports(checkEnvironments([config]));
    expect(report.failures.map((f) => `${f.ruleId} ${f.address}`)).toEqual(['MLF-APR-8 aws_apprunner_service.apprunner_service']);
  });
});

