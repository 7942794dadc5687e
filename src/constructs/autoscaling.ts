/**
 * Application Auto Scaling for the ECS service: a scalable target on the service's DesiredCount
 * (min/max from config) and target-tracking policies on average CPU and memory, plus ALB requests
 * per target when configured. Scale-out reacts fast, scale-in waits (cooldowns from config). The
 * service ignores `desired_count` changes while this owns the count (see `service.ts`).
 */
import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { ResolvedAutoscaling } from '../config/defaults';

export interface ServiceAutoscalingProps {
  readonly settings: ResolvedAutoscaling;
  readonly clusterName: string;
  readonly serviceName: string;
  /** Name prefix of the policies, e.g. `fraud-scoring-mlflow`. */
  readonly namePrefix: string;
  /** `<alb arn_suffix>/<target group arn_suffix>`, required for request tracking. */
  readonly requestCountResourceLabel: string;
}

export class ServiceAutoscaling extends Construct {
  public readonly target: AppautoscalingTarget;
  public readonly policies: AppautoscalingPolicy[] = [];

  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    const { settings } = props;
    this.target = new AppautoscalingTarget(this, 'target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: settings.minCount,
      maxCapacity: settings.maxCount,
    });
    const track = (id: string, metric: string, targetValue: number, resourceLabel?: string) =>
      this.policies.push(
        new AppautoscalingPolicy(this, id, {
          name: `${props.namePrefix}-${id}`,
          policyType: 'TargetTrackingScaling',
          serviceNamespace: this.target.serviceNamespace,
          scalableDimension: this.target.scalableDimension,
          resourceId: this.target.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue,
            scaleInCooldown: settings.scaleInCooldownSeconds,
            scaleOutCooldown: settings.scaleOutCooldownSeconds,
            disableScaleIn: false,
            predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
          },
        }),
      );
    track('cpu', 'ECSServiceAverageCPUUtilization', settings.cpuTargetPercent);
    track('memory', 'ECSServiceAverageMemoryUtilization', settings.memoryTargetPercent);
    if (settings.requestsPerTarget !== undefined) {
      track('requests', 'ALBRequestCountPerTarget', settings.requestsPerTarget, props.requestCountResourceLabel);
    }
  }
}
