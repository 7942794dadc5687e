/**
 * Alarms and the service dashboard. One SNS topic (encrypted with the stack key, whose policy lets
 * CloudWatch use it) receives every alarm's ALARM and OK transitions; e-mail subscriptions come
 * from config. The alarms are defined as data (`AlarmSpec`), and the dashboard is built from the
 * same metric definitions, so an alarm and its graph cannot disagree.
 */
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { AlarmThresholds } from '../config/types';
import { BASIC_AUTH_HEALTH_CHECK_PATH, HEALTH_CHECK_PATH } from '../image/contract';
import { policyDocument } from './iam';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

/** One metric: namespace, name and dimensions. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** One alarm, as data. */
export interface AlarmSpec {
  /** Construct id and alarm name suffix, e.g. `alb-target-5xx`. */
  readonly id: string;
  readonly description: string;
  readonly metric: MetricRef;
  /** `Sum`, `Average`, `Minimum`, `Maximum` or a percentile such as `p95`. */
  readonly statistic: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold';
  readonly threshold: number;
  readonly treatMissingData: TreatMissingData;
  /**
   * Alarm on a metric math expression instead of `metric`/`statistic`: `metrics` names the inputs
   * (ids used in `expression`), each with its statistic, over `periodSeconds`.
   */
  readonly math?: { readonly expression: string; readonly label: string; readonly metrics: Readonly<Record<string, { readonly metric: MetricRef; readonly statistic: string }>> };
}

/** What the alarms watch: the load balancer and ECS service (ECS runtime), or the App Runner service. */
export interface AlarmTargets {
  readonly loadBalancer?: { readonly arnSuffix: string; readonly targetGroupArnSuffix: string };
  readonly ecs?: { readonly clusterName: string; readonly serviceName: string };
  readonly appRunner?: { readonly serviceName: string; readonly serviceId: string };
  /**
   * A second ECS service behind its own load balancer (`apiAccess.mode` `internal-alb`): the same
   * target-group and service alarms as the main one, ids prefixed `api-`, plus running tasks below
   * desired (Container Insights, metric math).
   */
  readonly apiService?: {
    readonly loadBalancer: { readonly arnSuffix: string; readonly targetGroupArnSuffix: string };
    readonly ecs: { readonly clusterName: string; readonly serviceName: string };
  };
  /** The database: an RDS instance or an Aurora cluster. */
  readonly database: { readonly kind: 'instance' | 'cluster'; readonly identifier: string };
}

/** The alarm set for these targets and thresholds (pure: tested directly and by synthesis). */
export function alarmSpecs(targets: AlarmTargets, t: AlarmThresholds): AlarmSpec[] {
  const specs: AlarmSpec[] = [];
  const lb = targets.loadBalancer;
  if (lb) {
    const alb = (metricName: string): MetricRef => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: lb.arnSuffix } });
    // No requests means no 5xx datapoints: missing data is healthy.
    specs.push({ id: 'alb-elb-5xx', description: 'The ALB itself returned 5xx (no healthy target, timeouts, auth errors)', metric: alb('HTTPCode_ELB_5XX_Count'), statistic: 'Sum', periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'GreaterThanOrEqualToThreshold', threshold: t.elb5xxPer5Minutes, treatMissingData: 'notBreaching' });
    specs.push(...targetGroupSpecs('alb-', 'MLflow', lb, t, HEALTH_CHECK_PATH));
  }
  if (targets.ecs) specs.push(...ecsServiceSpecs('ecs-', 'Service', targets.ecs, t));
  const api = targets.apiService;
  if (api) {
    specs.push(...targetGroupSpecs('api-alb-', 'The MLflow API service (internal ALB)', api.loadBalancer, t, BASIC_AUTH_HEALTH_CHECK_PATH));
    specs.push(...ecsServiceSpecs('api-ecs-', 'API service', api.ecs, t));
    const insights = (metricName: string): MetricRef => ({ namespace: 'ECS/ContainerInsights', metricName, dimensions: { ClusterName: api.ecs.clusterName, ServiceName: api.ecs.serviceName } });
    specs.push({
      id: 'api-ecs-running-tasks',
      description: 'API service runs fewer tasks than desired for 3 of 5 minutes (crash loop, failed deployment, no capacity)',
      metric: insights('RunningTaskCount'),
      statistic: 'Minimum',
      periodSeconds: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      // Container Insights reports every minute while the service exists: silence means trouble.
      treatMissingData: 'breaching',
      math: {
        expression: 'desired - running',
        label: 'Desired tasks not running',
        metrics: { desired: { metric: insights('DesiredTaskCount'), statistic: 'Maximum' }, running: { metric: insights('RunningTaskCount'), statistic: 'Minimum' } },
      },
    });
  }
  const ar = targets.appRunner;
  if (ar) {
    const metric = (metricName: string): MetricRef => ({ namespace: 'AWS/AppRunner', metricName, dimensions: { ServiceName: ar.serviceName, ServiceID: ar.serviceId } });
    specs.push(
      { id: 'apprunner-5xx', description: 'MLflow (App Runner) returned 5xx', metric: metric('5xxStatusResponses'), statistic: 'Sum', periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'GreaterThanOrEqualToThreshold', threshold: t.target5xxPer5Minutes, treatMissingData: 'notBreaching' },
      { id: 'apprunner-latency', description: 'p95 request latency is high (milliseconds)', metric: metric('RequestLatency'), statistic: 'p95', periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 2, comparison: 'GreaterThanThreshold', threshold: t.responseTimeP95Seconds * 1000, treatMissingData: 'notBreaching' },
    );
  }
  const db = targets.database;
  const dbMetric = (metricName: string): MetricRef => ({
    namespace: 'AWS/RDS',
    metricName,
    dimensions: db.kind === 'cluster' ? { DBClusterIdentifier: db.identifier } : { DBInstanceIdentifier: db.identifier },
  });
  specs.push(
    { id: 'db-cpu', description: 'Database CPU is high', metric: dbMetric('CPUUtilization'), statistic: 'Average', periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3, comparison: 'GreaterThanThreshold', threshold: t.dbCpuPercent, treatMissingData: 'missing' },
    // Storage and memory metrics stop only when the database is down: treat that as a breach.
    { id: 'db-free-storage', description: `Database free storage below ${t.dbFreeStorageGiB} GiB`, metric: dbMetric(db.kind === 'cluster' ? 'FreeLocalStorage' : 'FreeStorageSpace'), statistic: 'Minimum', periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'LessThanThreshold', threshold: t.dbFreeStorageGiB * GIB, treatMissingData: 'breaching' },
    { id: 'db-connections', description: 'Database connections are high (gunicorn workers x tasks, or a leak)', metric: dbMetric('DatabaseConnections'), statistic: 'Maximum', periodSeconds: 300, evaluationPeriods: 2, datapointsToAlarm: 2, comparison: 'GreaterThanThreshold', threshold: t.dbConnections, treatMissingData: 'notBreaching' },
    { id: 'db-freeable-memory', description: `Database freeable memory below ${t.dbFreeableMemoryMiB} MiB`, metric: dbMetric('FreeableMemory'), statistic: 'Minimum', periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3, comparison: 'LessThanThreshold', threshold: t.dbFreeableMemoryMiB * MIB, treatMissingData: 'breaching' },
  );
  return specs;
}

type LoadBalancerTarget = NonNullable<AlarmTargets['loadBalancer']>;
type EcsTarget = NonNullable<AlarmTargets['ecs']>;

/** 5xx, unhealthy hosts and p95 latency of one target group (`prefix` starts the ids). */
function targetGroupSpecs(prefix: string, who: string, lb: LoadBalancerTarget, t: AlarmThresholds, healthCheckPath: string): AlarmSpec[] {
  const metric = (metricName: string): MetricRef => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: lb.arnSuffix, TargetGroup: lb.targetGroupArnSuffix } });
  return [
    { id: `${prefix}target-5xx`, description: `${who} returned 5xx`, metric: metric('HTTPCode_Target_5XX_Count'), statistic: 'Sum', periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'GreaterThanOrEqualToThreshold', threshold: t.target5xxPer5Minutes, treatMissingData: 'notBreaching' },
    // The ALB reports host counts every minute while targets are registered: silence is suspicious.
    { id: `${prefix}unhealthy-hosts`, description: `Targets fail the health check on ${healthCheckPath}`, metric: metric('UnHealthyHostCount'), statistic: 'Maximum', periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2, comparison: 'GreaterThanOrEqualToThreshold', threshold: t.unhealthyHosts, treatMissingData: 'breaching' },
    { id: `${prefix}response-time`, description: 'p95 target response time is high', metric: metric('TargetResponseTime'), statistic: 'p95', periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 2, comparison: 'GreaterThanThreshold', threshold: t.responseTimeP95Seconds, treatMissingData: 'notBreaching' },
  ];
}

/** CPU and memory of one ECS service (`prefix` starts the ids). */
function ecsServiceSpecs(prefix: string, who: string, ecs: EcsTarget, t: AlarmThresholds): AlarmSpec[] {
  const metric = (metricName: string): MetricRef => ({ namespace: 'AWS/ECS', metricName, dimensions: { ClusterName: ecs.clusterName, ServiceName: ecs.serviceName } });
  return [
    // Missing while the service has no tasks: the unhealthy-hosts alarm covers that case.
    { id: `${prefix}cpu`, description: `${who} CPU is high (autoscaling is not keeping up, or max is reached)`, metric: metric('CPUUtilization'), statistic: 'Average', periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3, comparison: 'GreaterThanThreshold', threshold: t.ecsCpuPercent, treatMissingData: 'missing' },
    { id: `${prefix}memory`, description: `${who} memory is high (gunicorn workers near the task limit)`, metric: metric('MemoryUtilization'), statistic: 'Average', periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3, comparison: 'GreaterThanThreshold', threshold: t.ecsMemoryPercent, treatMissingData: 'missing' },
  ];
}

export interface AlarmsProps {
  /** Prefix of the topic, alarm and dashboard names, e.g. `fraud-scoring-mlflow`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly kmsKeyArn: string;
  readonly emails: readonly string[];
  readonly thresholds: AlarmThresholds;
  readonly targets: AlarmTargets;
}

function metricArray(m: MetricRef, options: Record<string, unknown> = {}): unknown[] {
  const dims = Object.keys(m.dimensions).flatMap((k) => [k, m.dimensions[k]]);
  return [m.namespace, m.metricName, ...dims, options];
}

export class Alarms extends Construct {
  public readonly topic: SnsTopic;
  public readonly alarms: CloudwatchMetricAlarm[] = [];
  public readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'topic', { name: `${props.name}-alarms`, kmsMasterKeyId: props.kmsKeyArn });
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: this.topic.arn,
          Condition: {
            StringEquals: { 'aws:SourceAccount': props.accountId },
            ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${props.region}:${props.accountId}:alarm:${props.name}-*` },
          },
        },
      ]),
    });
    for (const email of [...props.emails].sort()) {
      new SnsTopicSubscription(this, `email-${email}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    }

    const specs = alarmSpecs(props.targets, props.thresholds);
    for (const spec of specs) {
      const percentile = /^p\d/.test(spec.statistic);
      const math = spec.math;
      const single = math
        ? {}
        : {
            namespace: spec.metric.namespace,
            metricName: spec.metric.metricName,
            dimensions: { ...spec.metric.dimensions },
            statistic: percentile ? undefined : spec.statistic,
            extendedStatistic: percentile ? spec.statistic : undefined,
            period: spec.periodSeconds,
          };
      this.alarms.push(
        new CloudwatchMetricAlarm(this, spec.id, {
          alarmName: `${props.name}-${spec.id}`,
          alarmDescription: spec.description,
          ...single,
          metricQuery: math
            ? [
                { id: 'e1', expression: math.expression, label: math.label, returnData: true },
                ...Object.keys(math.metrics).map((id) => {
                  const input = math.metrics[id];
                  return {
                    id,
                    returnData: false,
                    metric: { namespace: input.metric.namespace, metricName: input.metric.metricName, dimensions: { ...input.metric.dimensions }, period: spec.periodSeconds, stat: input.statistic },
                  };
                }),
              ]
            : undefined,
          evaluationPeriods: spec.evaluationPeriods,
          datapointsToAlarm: spec.datapointsToAlarm,
          comparisonOperator: spec.comparison,
          threshold: spec.threshold,
          treatMissingData: spec.treatMissingData,
          actionsEnabled: true,
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
        }),
      );
    }

    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.name,
      // Literal JSON (scanners and reviewers read it); references resolve inside the string.
      dashboardBody: JSON.stringify(dashboardBody(props.region, props.targets, specs)),
    });
  }
}

/** Dashboard widgets: requests, latency, 5xx, task count (of the API service too, when there is one), and the database. */
export function dashboardBody(region: string, targets: AlarmTargets, specs: readonly AlarmSpec[]): { widgets: unknown[] } {
  const specOf = (id: string) => specs.find((s) => s.id === id)!;
  const metricOf = (id: string) => specOf(id).metric;
  const widgets: { title: string; metrics: unknown[][]; stat?: string }[] = [];
  const albRequests = (arnSuffix: string) => [metricArray({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: arnSuffix } }, { stat: 'Sum' })];
  const percentiles = (id: string, stats: readonly string[]) => stats.map((stat) => metricArray(metricOf(id), { stat }));
  const sums = (...ids: string[]) => ids.map((id) => metricArray(metricOf(id), { stat: 'Sum' }));
  const averages = (...ids: string[]) => ids.map((id) => metricArray(metricOf(id), { stat: 'Average' }));
  const lb = targets.loadBalancer;
  if (lb) {
    widgets.push({ title: 'Requests', metrics: albRequests(lb.arnSuffix) });
    widgets.push({ title: 'Target response time (s)', metrics: percentiles('alb-response-time', ['p50', 'p95', 'p99']) });
    widgets.push({ title: '5xx', metrics: sums('alb-elb-5xx', 'alb-target-5xx') });
  }
  const ecs = targets.ecs;
  if (ecs) {
    const tasks: MetricRef = { namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: { ClusterName: ecs.clusterName, ServiceName: ecs.serviceName } };
    widgets.push({ title: 'Running tasks', metrics: [metricArray(tasks, { stat: 'Average' })] });
    widgets.push({ title: 'Service CPU and memory (%)', metrics: averages('ecs-cpu', 'ecs-memory') });
  }
  const api = targets.apiService;
  if (api) {
    widgets.push({ title: 'API requests (internal ALB)', metrics: albRequests(api.loadBalancer.arnSuffix) });
    widgets.push({ title: 'API target response time (s)', metrics: percentiles('api-alb-response-time', ['p50', 'p95', 'p99']) });
    widgets.push({ title: 'API 5xx', metrics: sums('api-alb-target-5xx') });
    // The running-tasks alarm's two inputs, with its statistics.
    const { running, desired } = specOf('api-ecs-running-tasks').math!.metrics;
    widgets.push({ title: 'API tasks: running and desired', metrics: [running, desired].map((m) => metricArray(m.metric, { stat: m.statistic })) });
    widgets.push({ title: 'API service CPU and memory (%)', metrics: averages('api-ecs-cpu', 'api-ecs-memory') });
  }
  const ar = targets.appRunner;
  if (ar) {
    const metric = (metricName: string): MetricRef => ({ namespace: 'AWS/AppRunner', metricName, dimensions: { ServiceName: ar.serviceName, ServiceID: ar.serviceId } });
    widgets.push({ title: 'Requests', metrics: [metricArray(metric('Requests'), { stat: 'Sum' })] });
    widgets.push({ title: 'Request latency (ms)', metrics: percentiles('apprunner-latency', ['p50', 'p95']) });
    widgets.push({ title: '5xx', metrics: sums('apprunner-5xx') });
    widgets.push({ title: 'Active instances', metrics: [metricArray(metric('ActiveInstances'), { stat: 'Average' })] });
  }
  widgets.push({ title: 'Database CPU (%) and connections', metrics: [...averages('db-cpu'), metricArray(metricOf('db-connections'), { stat: 'Maximum', yAxis: 'right' })] });
  widgets.push({ title: 'Database free storage and memory (bytes)', metrics: [metricArray(metricOf('db-free-storage'), { stat: 'Minimum' }), metricArray(metricOf('db-freeable-memory'), { stat: 'Minimum' })] });
  return {
    widgets: widgets.map((w, i) => ({
      type: 'metric',
      x: (i % 2) * 12,
      y: Math.floor(i / 2) * 6,
      width: 12,
      height: 6,
      properties: { title: w.title, region, view: 'timeSeries', stacked: false, period: 300, metrics: w.metrics },
    })),
  };
}
