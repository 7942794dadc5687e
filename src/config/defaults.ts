/**
 * Defaults of the optional operations settings (WAF, programmatic access, autoscaling, alarms,
 * App Runner). Validation and the constructs both resolve settings through these functions, so a
 * default is written down exactly once. `docs/operations.md` documents the same values.
 */
import {
  AlarmThresholds,
  ApiAccessConfig,
  AppRunnerEdgeConfig,
  AutoscalingConfig,
  BaseEnvironmentConfig,
  EcsEnvironmentConfig,
  WafConfig,
} from './types';

type Resolved<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

export const WAF_DEFAULTS = { rateLimitPer5Minutes: 2000, allowListCidrs: [] as readonly string[], logRetentionDays: 365 } as const;

export function wafSettings(config: BaseEnvironmentConfig): Resolved<WafConfig> {
  const waf = config.waf ?? {};
  return {
    rateLimitPer5Minutes: waf.rateLimitPer5Minutes ?? WAF_DEFAULTS.rateLimitPer5Minutes,
    allowListCidrs: waf.allowListCidrs ?? WAF_DEFAULTS.allowListCidrs,
    logRetentionDays: waf.logRetentionDays ?? WAF_DEFAULTS.logRetentionDays,
  };
}

export const AUTOSCALING_DEFAULTS = { cpuTargetPercent: 60, memoryTargetPercent: 70, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 } as const;

export type ResolvedAutoscaling = Resolved<Omit<AutoscalingConfig, 'requestsPerTarget'>> & { readonly requestsPerTarget?: number };

export function autoscalingSettings(autoscaling: AutoscalingConfig): ResolvedAutoscaling {
  return {
    minCount: autoscaling.minCount,
    maxCount: autoscaling.maxCount,
    cpuTargetPercent: autoscaling.cpuTargetPercent ?? AUTOSCALING_DEFAULTS.cpuTargetPercent,
    memoryTargetPercent: autoscaling.memoryTargetPercent ?? AUTOSCALING_DEFAULTS.memoryTargetPercent,
    requestsPerTarget: autoscaling.requestsPerTarget,
    scaleInCooldownSeconds: autoscaling.scaleInCooldownSeconds ?? AUTOSCALING_DEFAULTS.scaleInCooldownSeconds,
    scaleOutCooldownSeconds: autoscaling.scaleOutCooldownSeconds ?? AUTOSCALING_DEFAULTS.scaleOutCooldownSeconds,
  };
}

/** Default alarm thresholds; `ALARM_THRESHOLD_RANGES` holds what validation accepts. */
export const ALARM_THRESHOLD_DEFAULTS: AlarmThresholds = {
  elb5xxPer5Minutes: 10,
  target5xxPer5Minutes: 10,
  unhealthyHosts: 1,
  responseTimeP95Seconds: 3,
  dbCpuPercent: 80,
  dbFreeStorageGiB: 5,
  dbConnections: 100,
  dbFreeableMemoryMiB: 256,
  ecsCpuPercent: 85,
  ecsMemoryPercent: 85,
};

/** Inclusive [min, max] per threshold. */
export const ALARM_THRESHOLD_RANGES: Readonly<Record<keyof AlarmThresholds, readonly [number, number]>> = {
  elb5xxPer5Minutes: [1, 100000],
  target5xxPer5Minutes: [1, 100000],
  unhealthyHosts: [1, 100],
  responseTimeP95Seconds: [0.1, 300],
  dbCpuPercent: [1, 100],
  dbFreeStorageGiB: [1, 10000],
  dbConnections: [1, 100000],
  dbFreeableMemoryMiB: [16, 1048576],
  ecsCpuPercent: [1, 100],
  ecsMemoryPercent: [1, 100],
};

export function alarmThresholds(config: BaseEnvironmentConfig): AlarmThresholds {
  return { ...ALARM_THRESHOLD_DEFAULTS, ...(config.alarms?.thresholds ?? {}) };
}

export const API_ACCESS_DEFAULTS = { logRetentionDays: 365, throttle: { ratePerSecond: 200, burst: 400 } } as const;

export interface ResolvedApiAccess {
  readonly mode: ApiAccessConfig['mode'];
  readonly hostname?: string;
  readonly allowedSecurityGroupIds: readonly string[];
  readonly allowedCidrs: readonly string[];
  readonly loadBalancerName: string;
  readonly targetGroupName: string;
  readonly logRetentionDays: number;
  readonly throttle: { readonly ratePerSecond: number; readonly burst: number };
  /** `internal-alb`: tasks of the basic-auth API service. */
  readonly desiredCount: number;
  /** `internal-alb`: Secrets Manager name of the API service's basic-auth admin password. */
  readonly adminPasswordSecretName: string;
}

export function apiAccessSettings(config: EcsEnvironmentConfig): ResolvedApiAccess {
  const api = config.apiAccess ?? { mode: 'none' };
  return {
    mode: api.mode,
    hostname: api.hostname,
    allowedSecurityGroupIds: api.allowedSecurityGroupIds ?? [],
    allowedCidrs: api.allowedCidrs ?? [],
    loadBalancerName: api.loadBalancerName ?? `${config.namePrefix}-api`,
    targetGroupName: api.targetGroupName ?? `${config.namePrefix}-api-tg`,
    logRetentionDays: api.logRetentionDays ?? API_ACCESS_DEFAULTS.logRetentionDays,
    throttle: api.throttle ?? API_ACCESS_DEFAULTS.throttle,
    desiredCount: api.desiredCount ?? api.autoscaling?.minCount ?? config.service.autoscaling?.minCount ?? config.service.desiredCount,
    adminPasswordSecretName: api.adminPasswordSecretName ?? `${config.namePrefix}/mlflow/api-admin-password`,
  };
}

/**
 * `apiAccess.mode` `internal-alb`: the API service's autoscaling (always on). minCount defaults to
 * the service's initial count, maxCount to twice minCount (at most 100); the rest as `service.autoscaling`.
 * Undefined without an API service.
 */
export function apiAutoscalingSettings(config: EcsEnvironmentConfig): ResolvedAutoscaling | undefined {
  if (config.apiAccess?.mode !== 'internal-alb') return undefined;
  const given = config.apiAccess.autoscaling ?? {};
  const minCount = given.minCount ?? apiAccessSettings(config).desiredCount;
  return autoscalingSettings({ ...given, minCount, maxCount: given.maxCount ?? Math.min(2 * minCount, 100) });
}

export const APP_RUNNER_VALIDATION_RECORDS_DEFAULT = 2;

export function appRunnerValidationRecords(edge: AppRunnerEdgeConfig): number {
  return edge.certificateValidationRecords ?? APP_RUNNER_VALIDATION_RECORDS_DEFAULT;
}

export function adminPasswordSecretName(config: BaseEnvironmentConfig, explicit?: string): string {
  return explicit ?? `${config.namePrefix}/mlflow/admin-password`;
}
