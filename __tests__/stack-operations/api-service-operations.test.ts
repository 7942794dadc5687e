/**
 * The basic-auth API service behind the internal ALB (`apiAccess.mode` `internal-alb`) gets what the
 * browser service has: Application Auto Scaling (CPU/memory target tracking) and its own alarm set on
 * the internal ALB's target group and the API service, notifying the stack's alarm topic.
 */
import { production } from '../../src/config/environments/production';
import { staging } from '../../src/config/environments/staging';
import { ALARM_THRESHOLD_DEFAULTS, AUTOSCALING_DEFAULTS } from '../../src/config/defaults';
import { EnvironmentConfig } from '../../src/config/types';
import { Json, ref, resource, resourcesOfType } from '../helpers/synth';
import { synthAny } from './helpers';

const prod = synthAny(production);
const stag = synthAny(staging);
const topic = ref('aws_sns_topic.alarms_topic', 'arn');
const withApi = (patch: Partial<NonNullable<EnvironmentConfig['apiAccess']>>) => synthAny({ ...production, apiAccess: { ...production.apiAccess!, ...patch } });
const apiAlarms = (stack: Json) => Object.fromEntries(Object.entries(resourcesOfType(stack, 'aws_cloudwatch_metric_alarm')).filter(([name]) => name.startsWith('alarms_api_')));
const apiTarget = ref('aws_appautoscaling_target.api_autoscaling_target', 'resource_id');

describe('API service autoscaling', () => {
  test('the scalable target names the cluster and the API service; production defaults: min 2 (the service minimum), max twice that', () => {
    expect(resource(prod, 'aws_appautoscaling_target', 'api_autoscaling_target')).toEqual({
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      resource_id: `service/${ref('aws_ecs_cluster.mlflow_cluster', 'name')}/${ref('aws_ecs_service.mlflow_api_service', 'name')}`,
      min_capacity: 2,
      max_capacity: 4,
    });
  });

  test('min/max and targets come from apiAccess.autoscaling; desiredCount defaults to its minCount', () => {
    const stack = withApi({ autoscaling: { minCount: 3, maxCount: 8, cpuTargetPercent: 45 } });
    expect(resource(stack, 'aws_appautoscaling_target', 'api_autoscaling_target')).toMatchObject({ min_capacity: 3, max_capacity: 8 });
    expect(resource(stack, 'aws_appautoscaling_policy', 'api_autoscaling_cpu').target_tracking_scaling_policy_configuration.target_value).toBe(45);
    expect(resource(stack, 'aws_ecs_service', 'mlflow_api_service').desired_count).toBe(3);
    // The browser service keeps its own settings.
    expect(resource(stack, 'aws_appautoscaling_target', 'autoscaling_target')).toMatchObject({ min_capacity: 2, max_capacity: 6 });
  });

  test('policies track CPU and memory of the API service with the documented defaults, named after it', () => {
    const policies = Object.fromEntries(Object.entries(resourcesOfType(prod, 'aws_appautoscaling_policy')).filter(([name]) => name.startsWith('api_')));
    expect(Object.keys(policies).sort()).toEqual(['api_autoscaling_cpu', 'api_autoscaling_memory']);
    for (const p of Object.values(policies)) {
      expect(p.policy_type).toBe('TargetTrackingScaling');
      expect(p.resource_id).toBe(apiTarget);
      expect(p.scalable_dimension).toBe(ref('aws_appautoscaling_target.api_autoscaling_target', 'scalable_dimension'));
    }
    expect(policies.api_autoscaling_cpu).toMatchObject({
      name: 'fraud-scoring-mlflow-api-cpu',
      target_tracking_scaling_policy_configuration: {
        target_value: AUTOSCALING_DEFAULTS.cpuTargetPercent,
        scale_in_cooldown: AUTOSCALING_DEFAULTS.scaleInCooldownSeconds,
        scale_out_cooldown: AUTOSCALING_DEFAULTS.scaleOutCooldownSeconds,
        predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
      },
    });
    expect(policies.api_autoscaling_memory.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: AUTOSCALING_DEFAULTS.memoryTargetPercent,
      predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageMemoryUtilization' },
    });
  });

  test('request tracking, when configured, counts requests on the internal ALB\'s API target group', () => {
    const stack = withApi({ autoscaling: { requestsPerTarget: 150 } });
    expect(resource(stack, 'aws_appautoscaling_policy', 'api_autoscaling_requests')).toMatchObject({
      resource_id: apiTarget,
      target_tracking_scaling_policy_configuration: {
        target_value: 150,
        predefined_metric_specification: { predefined_metric_type: 'ALBRequestCountPerTarget', resource_label: `${ref('aws_lb.api_access_alb', 'arn_suffix')}/${ref('aws_lb_target_group.api_access_target_group', 'arn_suffix')}` },
      },
    });
  });

  test('the API service ignores desired_count drift: autoscaling owns it', () => {
    expect(resource(prod, 'aws_ecs_service', 'mlflow_api_service').lifecycle).toEqual({ ignore_changes: ['desired_count'] });
  });
});

describe('API service alarms', () => {
  test('one alarm set for the API service: 5xx, unhealthy hosts, latency, CPU, memory, running tasks', () => {
    expect(Object.keys(apiAlarms(prod)).sort()).toEqual([
      'alarms_api_alb_response_time',
      'alarms_api_alb_target_5xx',
      'alarms_api_alb_unhealthy_hosts',
      'alarms_api_ecs_cpu',
      'alarms_api_ecs_memory',
      'alarms_api_ecs_running_tasks',
    ]);
  });

  test('each notifies the stack\'s alarm topic on ALARM and OK, under a name the topic policy admits', () => {
    const doc = JSON.parse(resource(prod, 'aws_sns_topic_policy', 'alarms_topic_policy').policy);
    const admitted = doc.Statement[0].Condition.ArnLike['aws:SourceArn'] as string;
    expect(admitted).toMatch(/:alarm:fraud-scoring-mlflow-\*$/);
    for (const a of Object.values(apiAlarms(prod))) {
      expect(a).toMatchObject({ actions_enabled: true, alarm_actions: [topic], ok_actions: [topic] });
      expect(a.alarm_name).toMatch(/^fraud-scoring-mlflow-api-/);
    }
  });

  test('the target-group alarms watch the internal ALB and its API target group, not the public ones', () => {
    const dims = { LoadBalancer: ref('aws_lb.api_access_alb', 'arn_suffix'), TargetGroup: ref('aws_lb_target_group.api_access_target_group', 'arn_suffix') };
    const a = (id: string) => resource(prod, 'aws_cloudwatch_metric_alarm', `alarms_api_alb_${id}`);
    expect(a('target_5xx')).toMatchObject({ namespace: 'AWS/ApplicationELB', metric_name: 'HTTPCode_Target_5XX_Count', dimensions: dims, statistic: 'Sum', threshold: ALARM_THRESHOLD_DEFAULTS.target5xxPer5Minutes });
    expect(a('unhealthy_hosts')).toMatchObject({ metric_name: 'UnHealthyHostCount', dimensions: dims, threshold: ALARM_THRESHOLD_DEFAULTS.unhealthyHosts, treat_missing_data: 'breaching', alarm_description: 'Targets fail the health check on /health' });
    expect(a('response_time')).toMatchObject({ metric_name: 'TargetResponseTime', dimensions: dims, extended_statistic: 'p95', threshold: ALARM_THRESHOLD_DEFAULTS.responseTimeP95Seconds });
  });

  test('the service alarms watch the API service (its own name); running tasks below desired, by metric math', () => {
    const service = { ClusterName: 'fraud-scoring-cluster', ServiceName: 'fraud-scoring-mlflow-api' };
    const a = (id: string) => resource(prod, 'aws_cloudwatch_metric_alarm', `alarms_api_ecs_${id}`);
    expect(a('cpu')).toMatchObject({ namespace: 'AWS/ECS', metric_name: 'CPUUtilization', dimensions: service, threshold: ALARM_THRESHOLD_DEFAULTS.ecsCpuPercent });
    expect(a('memory')).toMatchObject({ namespace: 'AWS/ECS', metric_name: 'MemoryUtilization', dimensions: service, threshold: ALARM_THRESHOLD_DEFAULTS.ecsMemoryPercent });
    const running = a('running_tasks');
    expect(running).toMatchObject({ comparison_operator: 'GreaterThanOrEqualToThreshold', threshold: 1, evaluation_periods: 5, datapoints_to_alarm: 3, treat_missing_data: 'breaching' });
    // A metric-math alarm carries no single metric of its own.
    for (const key of ['namespace', 'metric_name', 'dimensions', 'statistic', 'period']) expect(running).not.toHaveProperty(key);
    const queries = running.metric_query as Json[];
    expect(queries.filter((q) => q.return_data)).toEqual([{ id: 'e1', expression: 'desired - running', label: 'Desired tasks not running', return_data: true }]);
    const input = (id: string) => queries.find((q) => q.id === id)?.metric;
    expect(input('desired')).toEqual({ namespace: 'ECS/ContainerInsights', metric_name: 'DesiredTaskCount', dimensions: service, period: 60, stat: 'Maximum' });
    expect(input('running')).toEqual({ namespace: 'ECS/ContainerInsights', metric_name: 'RunningTaskCount', dimensions: service, period: 60, stat: 'Minimum' });
    // The service name in the dimensions is the API service's; Container Insights is on for its cluster.
    expect(resource(prod, 'aws_ecs_service', 'mlflow_api_service').name).toBe(service.ServiceName);
    expect(resource(prod, 'aws_ecs_cluster', 'mlflow_cluster').setting).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
  });

  test('thresholds are the shared alarms.thresholds', () => {
    const stack = synthAny({ ...production, alarms: { thresholds: { target5xxPer5Minutes: 25, responseTimeP95Seconds: 1.5 } } });
    expect(resource(stack, 'aws_cloudwatch_metric_alarm', 'alarms_api_alb_target_5xx').threshold).toBe(25);
    expect(resource(stack, 'aws_cloudwatch_metric_alarm', 'alarms_api_alb_response_time').threshold).toBe(1.5);
  });
});

test('without an API service (staging: API Gateway to the main service; mode none) nothing is added', () => {
  const none = synthAny({ ...production, apiAccess: { mode: 'none' } });
  for (const stack of [stag, none]) {
    expect(Object.keys(resourcesOfType(stack, 'aws_appautoscaling_target'))).toEqual(['autoscaling_target']);
    expect(apiAlarms(stack)).toEqual({});
    expect(resourcesOfType(stack, 'aws_ecs_service')).not.toHaveProperty('mlflow_api_service');
  }
});
