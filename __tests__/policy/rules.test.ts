/**
 * Every rule: a compliant resource passes and a non-compliant one fails (one case each way per
 * rule, and for rules with several conditions one more failing case per condition; fixtures in
 * rule-cases.ts), plus the metadata every rule must carry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../src/policy/rules';
import { evaluate } from './helpers';
import { RULE_CASES } from './rule-cases';

const SECURITY_RULES = path.resolve(__dirname, '../../../shared/security/rules.json');

describe.each(RULE_CASES.map((c) => [`${c.id} on ${c.target}`, c] as const))('%s', (_name, c) => {
  test('compliant resource passes', () => {
    const outcome = evaluate(c.id, c.target, c.good, { production: c.production, provider: c.goodProvider });
    expect(outcome).toEqual(expect.objectContaining({ status: 'pass' }));
  });
  test('non-compliant resource fails with a detail', () => {
    const outcome = evaluate(c.id, c.target, c.bad, { production: c.production, provider: c.badProvider });
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toEqual(expect.any(String));
  });
  if (c.badVariants) {
    test.each(c.badVariants.map((v) => [v.why, v.resources] as const))('non-compliant: %s fails', (_why, resources) => {
      expect(evaluate(c.id, c.target, resources, { production: c.production, provider: c.badProvider }).status).toBe('fail');
    });
  }
});

describe('the rule set', () => {
  test('every rule has a compliant and a non-compliant case', () => {
    const covered = new Set(RULE_CASES.map((c) => c.id));
    expect(ALL_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test('rule ids are unique, well-formed and named after their file', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^MLF-[A-Z0-9]+-\d+$/);
      const folder = fs.readdirSync(path.resolve(__dirname, '../../src/policy/rules')).find((d) => fs.existsSync(path.resolve(__dirname, '../../src/policy/rules', d, `${r.name}.ts`)));
      expect({ id: r.id, file: folder ? `${folder}/${r.name}.ts` : undefined }).toEqual({ id: r.id, file: expect.stringMatching(/\.ts$/) });
    }
  });

  test('every rule has a severity, an explanation and resource types; cited scanner ids exist in rules.json', () => {
    const ids = (JSON.parse(fs.readFileSync(SECURITY_RULES, 'utf8')) as { id: string }[]).map((r) => r.id);
    const known = new Set<string>([...ids, ...ids.flatMap((id) => id.split(/\s*\/\s*/)).map((id) => id.trim())]);
    const unknownIds: string[] = [];
    for (const r of ALL_RULES) {
      expect(['critical', 'high', 'medium', 'low', 'info']).toContain(r.severity);
      expect(r.explanation.length).toBeGreaterThan(30);
      expect(r.resourceTypes.length).toBeGreaterThan(0);
      for (const id of Object.values(r.scanners).flat()) {
        if (!known.has(id) && !known.has(id.split(' ')[0])) unknownIds.push(`${r.id}: ${id}`);
      }
    }
    expect(unknownIds).toEqual([]);
  });
});

describe('rule details', () => {
  test('MLF-VPC-3 also fails a declared aws_default_vpc', () => {
    expect(evaluate('MLF-VPC-3', 'aws_default_vpc.d', { aws_default_vpc: { d: {} } }).status).toBe('fail');
  });

  test('MLF-LOGS-2 accepts 90 days outside production but not in production, and never 0', () => {
    const group = { aws_cloudwatch_log_group: { g: { retention_in_days: 90 } } };
    expect(evaluate('MLF-LOGS-2', 'aws_cloudwatch_log_group.g', group).status).toBe('pass');
    expect(evaluate('MLF-LOGS-2', 'aws_cloudwatch_log_group.g', group, { production: true }).status).toBe('fail');
    expect(evaluate('MLF-LOGS-2', 'aws_cloudwatch_log_group.g', { aws_cloudwatch_log_group: { g: { retention_in_days: 0 } } }).status).toBe('fail');
  });

  test('MLF-RDS-8 does not apply outside production', () => {
    const single = { aws_db_instance: { db: { engine: 'postgres', multi_az: false } } };
    expect(evaluate('MLF-RDS-8', 'aws_db_instance.db', single).status).toBe('not-applicable');
    expect(evaluate('MLF-RDS-8', 'aws_db_instance.db', single, { production: true }).status).toBe('fail');
  });

  test('an unresolved expression is unknown, never a pass', () => {
    const lb = { aws_lb: { lb: { enable_deletion_protection: '${var.protect}' } } };
    expect(evaluate('MLF-ALB-3', 'aws_lb.lb', lb)).toEqual({ status: 'unknown', detail: 'enable_deletion_protection is the unresolved expression ${var.protect}' });
    const task = { aws_ecs_task_definition: { t: { container_definitions: '${jsonencode(local.containers)}' } } };
    expect(evaluate('MLF-ECS-15', 'aws_ecs_task_definition.t', task).status).toBe('unknown');
    const role = { aws_iam_role_policy: { p: { policy: '${data.aws_iam_policy_document.x.json}' } } };
    expect(evaluate('MLF-IAM-4', 'aws_iam_role_policy.p', role).status).toBe('unknown');
  });

  test('MLF-ECS-14 matches the secret-like names trivy and terrascan flag, not token_type or version', () => {
    const task = (name: string) => ({ aws_ecs_task_definition: { t: { container_definitions: JSON.stringify([{ name: 'c', environment: [{ name, value: 'x' }] }]) } } });
    for (const name of ['MLFLOW_TRACKING_TOKEN', 'api_key', 'DB_PASSWORD', 'PRIVATE_KEY_PATH']) expect(evaluate('MLF-ECS-14', 'aws_ecs_task_definition.t', task(name)).status).toBe('fail');
    for (const name of ['TOKEN_TYPE', 'VERSION_TOKEN', 'MLFLOW_DB_HOST']) expect(evaluate('MLF-ECS-14', 'aws_ecs_task_definition.t', task(name)).status).toBe('pass');
  });

  test('MLF-SG-8 flags only private CIDRs wider than /27 (a /27 or a public range is not its concern)', () => {
    const sgWith = (cidr: string) => ({ aws_security_group: { sg: { description: 'd', ingress: [{ description: 'x', protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_blocks: [cidr] }] } } });
    expect(evaluate('MLF-SG-8', 'aws_security_group.sg', sgWith('10.0.0.0/26')).status).toBe('fail');
    expect(evaluate('MLF-SG-8', 'aws_security_group.sg', sgWith('172.16.0.0/12')).status).toBe('fail');
    expect(evaluate('MLF-SG-8', 'aws_security_group.sg', sgWith('10.0.0.0/27')).status).toBe('pass');
    expect(evaluate('MLF-SG-8', 'aws_security_group.sg', sgWith('198.51.100.0/24')).status).toBe('pass');
  });

  test('findings describe the rule: protocol and port, a port range, or all traffic', () => {
    const rule = (extra: object) => ({ aws_vpc_security_group_ingress_rule: { r: { security_group_id: '${aws_security_group.sg.id}', cidr_ipv4: '0.0.0.0/0', description: 'x', ...extra } } });
    expect(evaluate('MLF-SG-3', 'aws_vpc_security_group_ingress_rule.r', rule({ ip_protocol: 'tcp', from_port: 22, to_port: 22 })).detail).toContain('tcp/22');
    expect(evaluate('MLF-SG-3', 'aws_vpc_security_group_ingress_rule.r', rule({ ip_protocol: 'tcp', from_port: 20, to_port: 30 })).detail).toContain('tcp/20-30');
    expect(evaluate('MLF-SG-3', 'aws_vpc_security_group_ingress_rule.r', rule({ ip_protocol: '-1' })).detail).toContain('all traffic');
  });

  test('MLF-SG-4 admits internet 80/443 only on a load balancer group', () => {
    const sg = (attached: boolean) => ({
      aws_security_group: { sg: { description: 'd', ingress: [{ description: 'x', protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'] }] } },
      ...(attached ? { aws_lb: { lb: { security_groups: ['${aws_security_group.sg.id}'] } } } : {}),
    });
    expect(evaluate('MLF-SG-4', 'aws_security_group.sg', sg(true)).status).toBe('pass');
    expect(evaluate('MLF-SG-4', 'aws_security_group.sg', sg(false)).status).toBe('fail');
    // On one of two load balancers is enough (the internal API ALB has a group of its own).
    const twoLbs = { ...sg(true), aws_lb: { lb: { security_groups: ['${aws_security_group.sg.id}'] }, internal: { security_groups: ['${aws_security_group.other.id}'] } } };
    expect(evaluate('MLF-SG-4', 'aws_security_group.sg', twoLbs).status).toBe('pass');
  });
});
