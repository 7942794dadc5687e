/**
 * The WAFv2 web ACL (REGIONAL) in front of the public entry point (the ALB, or the App Runner
 * service), in rule order:
 *
 * 1. `allow-list-only` (only when waf.allowListCidrs is set): blocks every address not in the IP set;
 * 2. AWS IP reputation list;
 * 3. a per-IP rate limit;
 * 4. AWS anonymous IP list, with its `HostingProviderIPList` rule counted instead of blocking, so
 *    MLflow clients on EC2 / SageMaker / other clouds are not blocked;
 * 5. AWS known bad inputs (Log4j & co), no overrides;
 * 6. AWS common rule set, with `SizeRestrictions_BODY` counted instead of blocking: it labels
 *    requests with bodies over 8 KB;
 * 7. `body-size-outside-mlflow-api`: blocks requests carrying that label unless their path is an
 *    MLflow API or artifact path, so artifact uploads and large `log-batch` payloads pass while
 *    every other path keeps the body size limit.
 *
 * Requests are logged to an `aws-waf-logs-` log group (KMS, retention from config) with the
 * `authorization` and `cookie` headers redacted.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Wafv2IpSet } from '@cdktf/provider-aws/lib/wafv2-ip-set';
import { Wafv2WebAcl, Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { WafConfig } from '../config/types';

/** The label the common rule set's body size rule adds (AWS managed rule groups list). */
export const BODY_SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/** Paths whose bodies may exceed the common rule set's 8 KB limit: MLflow's REST API and artifact proxy. */
export const LARGE_BODY_PATH_PREFIXES = ['/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/', '/api/2.0/mlflow-artifacts/'] as const;

/** Headers never written to the WAF log. */
export const REDACTED_HEADERS = ['authorization', 'cookie'] as const;

export interface WebAclProps {
  /** Web ACL name and prefix of metric names, e.g. `fraud-scoring-mlflow`. */
  readonly name: string;
  readonly settings: Required<WafConfig>;
  readonly kmsKeyArn: string;
  /** ARN of the protected resource (ALB or App Runner service). */
  readonly resourceArn: string;
}

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/** A managed rule group rule; `countRules` are overridden to count (everything else keeps its action). */
function managedGroup(name: string, priority: number, metricPrefix: string, countRules: readonly string[] = []): Wafv2WebAclRule {
  return {
    name: `aws-${name}`,
    priority,
    overrideAction: { none: {} },
    statement: {
      managed_rule_group_statement: {
        name,
        vendor_name: 'AWS',
        ...(countRules.length > 0 ? { rule_action_override: countRules.map((rule) => ({ name: rule, action_to_use: { count: {} } })) } : {}),
      },
    },
    visibilityConfig: visibility(`${metricPrefix}-${name}`),
  };
}

export class WebAcl extends Construct {
  public readonly acl: Wafv2WebAcl;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly ipSet?: Wafv2IpSet;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const { name, settings } = props;
    const rules: Wafv2WebAclRule[] = [];

    if (settings.allowListCidrs.length > 0) {
      this.ipSet = new Wafv2IpSet(this, 'allow-list', {
        name: `${name}-allow-list`,
        description: 'Client addresses allowed to reach MLflow',
        scope: 'REGIONAL',
        ipAddressVersion: 'IPV4',
        addresses: [...settings.allowListCidrs].sort(),
      });
      rules.push({
        name: 'allow-list-only',
        priority: 0,
        action: { block: {} },
        statement: { not_statement: { statement: { ip_set_reference_statement: { arn: this.ipSet.arn } } } },
        visibilityConfig: visibility(`${name}-allow-list-only`),
      });
    }
    rules.push(managedGroup('AWSManagedRulesAmazonIpReputationList', 10, name));
    rules.push({
      name: 'rate-limit-per-ip',
      priority: 20,
      action: { block: {} },
      statement: { rate_based_statement: { limit: settings.rateLimitPer5Minutes, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
      visibilityConfig: visibility(`${name}-rate-limit-per-ip`),
    });
    rules.push(managedGroup('AWSManagedRulesAnonymousIpList', 30, name, ['HostingProviderIPList']));
    rules.push(managedGroup('AWSManagedRulesKnownBadInputsRuleSet', 40, name));
    rules.push(managedGroup('AWSManagedRulesCommonRuleSet', 50, name, ['SizeRestrictions_BODY']));
    rules.push({
      name: 'body-size-outside-mlflow-api',
      priority: 60,
      action: { block: {} },
      statement: {
        and_statement: {
          statement: [
            { label_match_statement: { scope: 'LABEL', key: BODY_SIZE_LABEL } },
            // WAF nests at most three levels below the rule: and > not > byte_match, so the path
            // exception is "not A and not B and not C" rather than "not (A or B or C)".
            ...LARGE_BODY_PATH_PREFIXES.map((prefix) => ({
              not_statement: {
                statement: {
                  byte_match_statement: {
                    search_string: prefix,
                    positional_constraint: 'STARTS_WITH',
                    field_to_match: { uri_path: {} },
                    text_transformation: [{ priority: 0, type: 'NONE' }],
                  },
                },
              },
            })),
          ],
        },
      },
      visibilityConfig: visibility(`${name}-body-size-outside-mlflow-api`),
    });

    this.acl = new Wafv2WebAcl(this, 'acl', {
      name,
      description: 'MLflow: AWS managed rules, per-IP rate limit, body size limit outside the MLflow API',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(name),
    });

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      // WAF delivers to CloudWatch Logs only into groups named aws-waf-logs-*.
      name: `aws-waf-logs-${name}`,
      retentionInDays: settings.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: this.acl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
    });
    new Wafv2WebAclAssociation(this, 'association', { resourceArn: props.resourceArn, webAclArn: this.acl.arn });
  }
}
