import { defineRule, fail, notApplicable, pass } from '../../types';

export const EcsFargatePlatformVersion = defineRule({
  id: 'MLF-ECS-3',
  name: 'EcsFargatePlatformVersion',
  severity: 'low',
  controls: ['ECS-FARGATE-LATEST'],
  scanners: { checkov: ['CKV_AWS_332'] },
  resourceTypes: ['aws_ecs_service'],
  info: 'Fargate services run platform version LATEST.',
  explanation: 'Pinned old platform versions miss kernel and runtime patches.',
  evaluate(service) {
    if (service.config.launch_type !== 'FARGATE') return notApplicable(`launch_type ${String(service.config.launch_type ?? '(capacity provider)')}`);
    const v = service.config.platform_version;
    return v === undefined || v === 'LATEST' ? pass() : fail(`platform_version is ${String(v)}`);
  },
});
