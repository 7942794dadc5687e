/**
 * WAF (issue 3): managed rule groups with exactly the intended overrides, the rate limit, the
 * optional allow-list, the body-size exception scoped to the MLflow API paths, logging with
 * redaction, and the association with the protected resource (ALB or App Runner).
 */
import { production } from '../../src/config/environments/production';
import { apprunnerStaging } from '../../src/config/environments/apprunner-staging';
import { staging } from '../../src/config/environments/staging';
import { BODY_SIZE_LABEL, LARGE_BODY_PATH_PREFIXES } from '../../src/constructs/waf';
import { Json, ref, resource, resourcesOfType } from '../helpers/synth';
import { synthAny } from './helpers';

const prod = synthAny(production);
const stag = synthAny(staging);
const ar = synthAny(apprunnerStaging);
const acl = (stack: Json) => resource(stack, 'aws_wafv2_web_acl', 'waf_acl');
const rule = (stack: Json, name: string) => {
  const r = acl(stack).rule.find((x: Json) => x.name === name);
  if (!r) throw new Error(`no WAF rule ${name}`);
  return r;
};

describe('web ACL rules', () => {
  test('regional, default allow, rules in the intended order', () => {
    const a = acl(prod);
    expect(a.scope).toBe('REGIONAL');
    expect(a.default_action).toEqual({ allow: {} });
    const ordered = [...a.rule].sort((x: Json, y: Json) => x.priority - y.priority).map((r: Json) => r.name);
    expect(ordered).toEqual([
      'aws-AWSManagedRulesAmazonIpReputationList',
      'rate-limit-per-ip',
      'aws-AWSManagedRulesAnonymousIpList',
      'aws-AWSManagedRulesKnownBadInputsRuleSet',
      'aws-AWSManagedRulesCommonRuleSet',
      'body-size-outside-mlflow-api',
    ]);
    expect(new Set(a.rule.map((r: Json) => r.priority)).size).toBe(a.rule.length);
  });

  test('managed groups do not override actions, except HostingProviderIPList and SizeRestrictions_BODY (count)', () => {
    for (const r of acl(prod).rule.filter((x: Json) => x.statement.managed_rule_group_statement)) {
      expect(r.override_action).toEqual({ none: {} });
      expect(r.action).toBeUndefined();
      expect(r.statement.managed_rule_group_statement.vendor_name).toBe('AWS');
      expect(r.statement.managed_rule_group_statement.excluded_rule).toBeUndefined();
    }
    const overrides = (name: string) => rule(prod, `aws-${name}`).statement.managed_rule_group_statement.rule_action_override;
    expect(overrides('AWSManagedRulesAnonymousIpList')).toEqual([{ name: 'HostingProviderIPList', action_to_use: { count: {} } }]);
    expect(overrides('AWSManagedRulesCommonRuleSet')).toEqual([{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }]);
    // Known bad inputs (Log4JRCE & co) blocks as AWS ships it: no count override at all.
    expect(overrides('AWSManagedRulesKnownBadInputsRuleSet')).toBeUndefined();
    expect(overrides('AWSManagedRulesAmazonIpReputationList')).toBeUndefined();
  });

  test('oversized bodies are blocked everywhere but the MLflow API and artifact paths, after the common rule set labels them', () => {
    const body = rule(prod, 'body-size-outside-mlflow-api');
    expect(body.priority).toBeGreaterThan(rule(prod, 'aws-AWSManagedRulesCommonRuleSet').priority);
    expect(body.action).toEqual({ block: {} });
    const [label, ...exceptions] = body.statement.and_statement.statement;
    expect(label).toEqual({ label_match_statement: { scope: 'LABEL', key: BODY_SIZE_LABEL } });
    expect(BODY_SIZE_LABEL).toBe('awswaf:managed:aws:core-rule-set:SizeRestrictions_Body');
    expect(exceptions.map((e: Json) => e.not_statement.statement.byte_match_statement)).toEqual(
      LARGE_BODY_PATH_PREFIXES.map((prefix) => ({ search_string: prefix, positional_constraint: 'STARTS_WITH', field_to_match: { uri_path: {} }, text_transformation: [{ priority: 0, type: 'NONE' }] })),
    );
    expect([...LARGE_BODY_PATH_PREFIXES]).toEqual(['/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/', '/api/2.0/mlflow-artifacts/']);
  });

  test('per-IP rate limit from config', () => {
    expect(rule(prod, 'rate-limit-per-ip')).toMatchObject({ action: { block: {} }, statement: { rate_based_statement: { limit: 2000, aggregate_key_type: 'IP' } } });
    expect(rule(stag, 'rate-limit-per-ip').statement.rate_based_statement.limit).toBe(1000);
  });

  test('metrics and sampled requests on the ACL and every rule, with distinct metric names', () => {
    const configs = [acl(prod).visibility_config, ...acl(prod).rule.map((r: Json) => r.visibility_config)];
    for (const v of configs) expect(v).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
    expect(new Set(configs.map((v: Json) => v.metric_name)).size).toBe(configs.length);
  });

  test('no allow-list unless configured', () => {
    expect(resourcesOfType(prod, 'aws_wafv2_ip_set')).toEqual({});
    expect(acl(prod).rule.find((r: Json) => r.name === 'allow-list-only')).toBeUndefined();
  });

  test('an allow-list blocks every address outside the IP set, before any other rule', () => {
    const stack = synthAny({ ...production, waf: { allowListCidrs: ['203.0.113.0/24', '198.51.100.0/24'] } });
    const ipSet = resource(stack, 'aws_wafv2_ip_set', 'waf_allow_list');
    expect(ipSet).toMatchObject({ scope: 'REGIONAL', ip_address_version: 'IPV4', addresses: ['198.51.100.0/24', '203.0.113.0/24'] });
    const allow = rule(stack, 'allow-list-only');
    expect(allow.priority).toBe(Math.min(...acl(stack).rule.map((r: Json) => r.priority)));
    expect(allow.action).toEqual({ block: {} });
    expect(allow.statement).toEqual({ not_statement: { statement: { ip_set_reference_statement: { arn: ref('aws_wafv2_ip_set.waf_allow_list', 'arn') } } } });
  });
});

describe('logging and association', () => {
  test('logs go to an aws-waf-logs- group, KMS-encrypted, retained per config, with credentials redacted', () => {
    const group = resource(prod, 'aws_cloudwatch_log_group', 'waf_logs');
    expect(group.name).toBe('aws-waf-logs-fraud-scoring-mlflow');
    expect(group.kms_key_id).toBe(ref('aws_kms_key.encryption_key', 'arn'));
    expect(group.retention_in_days).toBe(365);
    expect(resource(stag, 'aws_cloudwatch_log_group', 'waf_logs').retention_in_days).toBe(90);
    const logging = resource(prod, 'aws_wafv2_web_acl_logging_configuration', 'waf_logging');
    expect(logging.resource_arn).toBe(ref('aws_wafv2_web_acl.waf_acl', 'arn'));
    expect(logging.log_destination_configs).toEqual([ref('aws_cloudwatch_log_group.waf_logs', 'arn')]);
    expect(logging.redacted_fields).toEqual([{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }]);
  });

  test('ECS: the ACL protects the internet-facing ALB', () => {
    expect(resource(prod, 'aws_wafv2_web_acl_association', 'waf_association')).toMatchObject({
      resource_arn: ref('aws_lb.edge_alb', 'arn'),
      web_acl_arn: ref('aws_wafv2_web_acl.waf_acl', 'arn'),
    });
  });

  test('App Runner: the ACL protects the App Runner service', () => {
    expect(resource(ar, 'aws_wafv2_web_acl_association', 'waf_association')).toMatchObject({
      resource_arn: ref('aws_apprunner_service.apprunner_service', 'arn'),
      web_acl_arn: ref('aws_wafv2_web_acl.waf_acl', 'arn'),
    });
  });
});
