/** Artifacts path (direct: client policy; proxied: sizing) and ECS autoscaling (issue 3). */
import { production } from '../../src/config/environments/production';
import { staging } from '../../src/config/environments/staging';
import { AUTOSCALING_DEFAULTS } from '../../src/config/defaults';
import { Json, policy, ref, resource, resourcesOfType } from '../helpers/synth';
import { synthAny } from './helpers';

const prod = synthAny(production);
const stag = synthAny(staging);
const env = (stack: Json) => Object.fromEntries(JSON.parse(resource(stack, 'aws_ecs_task_definition', 'mlflow_task').container_definitions)[0].environment.map((e: Json) => [e.name, e.value]));

describe('artifacts path', () => {
  test('direct: a managed policy on the artifacts prefix and the stack key, emitted as an output', () => {
    const doc = policy(resource(stag, 'aws_iam_policy', 'artifacts_client_policy').policy);
    const bucket = ref('aws_s3_bucket.storage_artifacts_bucket', 'arn');
    expect(doc.Statement).toEqual([
      { Sid: 'ListArtifactPrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { StringLike: { 's3:prefix': ['mlflow-artifacts/', 'mlflow-artifacts/*'] } } },
      { Sid: 'ReadWriteArtifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${bucket}/mlflow-artifacts/*` },
      { Sid: 'ArtifactsKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: ref('aws_kms_key.encryption_key', 'arn') },
    ]);
    expect(stag.output.artifacts_client_policy_arn.value).toBe(ref('aws_iam_policy.artifacts_client_policy', 'arn'));
    expect(env(stag).MLFLOW_ARTIFACTS_MODE).toBe('direct');
  });

  test('the task role gets the same statements as the client policy (one definition)', () => {
    expect(policy(resource(stag, 'aws_iam_role_policy', 'mlflow_task_policy').policy)).toEqual(policy(resource(stag, 'aws_iam_policy', 'artifacts_client_policy').policy));
  });

  test('proxied: no client policy; ALB idle timeout > gunicorn timeout, ephemeral storage sized for uploads', () => {
    expect(resourcesOfType(prod, 'aws_iam_policy')).not.toHaveProperty('artifacts_client_policy');
    expect(prod.output.artifacts_client_policy_arn).toBeUndefined();
    expect(env(prod).MLFLOW_ARTIFACTS_MODE).toBe('proxied');
    expect(resource(prod, 'aws_lb', 'edge_alb').idle_timeout).toBeGreaterThan(Number(env(prod).MLFLOW_GUNICORN_TIMEOUT));
    expect(resource(prod, 'aws_ecs_task_definition', 'mlflow_task').ephemeral_storage.size_in_gib).toBeGreaterThanOrEqual(30);
  });
});

describe('autoscaling', () => {
  test('the scalable target names the cluster and service, with min/max from config', () => {
    expect(resource(prod, 'aws_appautoscaling_target', 'autoscaling_target')).toMatchObject({
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      resource_id: `service/${ref('aws_ecs_cluster.mlflow_cluster', 'name')}/${ref('aws_ecs_service.mlflow_service', 'name')}`,
      min_capacity: 2,
      max_capacity: 6,
    });
  });

  test('target tracking on CPU, memory and (production) ALB requests per target, with cooldowns', () => {
    // The API service's policies (`api_autoscaling_*`) are covered in api-service-operations.test.ts.
    const policies = Object.fromEntries(Object.entries(resourcesOfType(prod, 'aws_appautoscaling_policy')).filter(([name]) => name.startsWith('autoscaling_')));
    expect(Object.keys(policies).sort()).toEqual(['autoscaling_cpu', 'autoscaling_memory', 'autoscaling_requests']);
    const target = (name: string) => policies[name].target_tracking_scaling_policy_configuration;
    for (const p of Object.values(policies)) {
      expect(p.policy_type).toBe('TargetTrackingScaling');
      expect(p.resource_id).toBe(ref('aws_appautoscaling_target.autoscaling_target', 'resource_id'));
      expect(p.scalable_dimension).toBe(ref('aws_appautoscaling_target.autoscaling_target', 'scalable_dimension'));
    }
    expect(target('autoscaling_cpu')).toMatchObject({ target_value: 60, scale_in_cooldown: 300, scale_out_cooldown: 60, predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' } });
    expect(target('autoscaling_memory')).toMatchObject({ target_value: 70, predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageMemoryUtilization' } });
    expect(target('autoscaling_requests')).toMatchObject({
      target_value: 300,
      predefined_metric_specification: { predefined_metric_type: 'ALBRequestCountPerTarget', resource_label: `${ref('aws_lb.edge_alb', 'arn_suffix')}/${ref('aws_lb_target_group.edge_target_group', 'arn_suffix')}` },
    });
  });

  test('defaults apply and request tracking is off unless configured (staging)', () => {
    const policies = resourcesOfType(stag, 'aws_appautoscaling_policy');
    expect(Object.keys(policies).sort()).toEqual(['autoscaling_cpu', 'autoscaling_memory']);
    expect(policies.autoscaling_cpu.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: AUTOSCALING_DEFAULTS.cpuTargetPercent,
      scale_in_cooldown: AUTOSCALING_DEFAULTS.scaleInCooldownSeconds,
      scale_out_cooldown: AUTOSCALING_DEFAULTS.scaleOutCooldownSeconds,
    });
  });

  test('the service ignores desired_count only while autoscaling owns it', () => {
    expect(resource(prod, 'aws_ecs_service', 'mlflow_service').lifecycle).toEqual({ ignore_changes: ['desired_count'] });
    const fixed = synthAny({ ...production, service: { ...production.service, autoscaling: undefined } });
    expect(resource(fixed, 'aws_ecs_service', 'mlflow_service').lifecycle).toBeUndefined();
    expect(Object.keys(resourcesOfType(fixed, 'aws_appautoscaling_target'))).toEqual(['api_autoscaling_target']);
  });
});
