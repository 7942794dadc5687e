import { defineRule, fail } from '../../types';
import { blocks, requireOneOf } from '../../values';

export const EcsContainerInsights = defineRule({
  id: 'MLF-ECS-1',
  name: 'EcsContainerInsights',
  severity: 'low',
  controls: ['ECS-CONTAINER-INSIGHTS'],
  scanners: { checkov: ['CKV_AWS_65'], trivy: ['AVD-AWS-0034'], kics: ['97cb0688-369a-4d26-b1f7-86c4c91231bc'] },
  resourceTypes: ['aws_ecs_cluster'],
  info: 'The cluster setting containerInsights is exactly "enabled".',
  explanation: 'checkov accepts enabled or enhanced and trivy anything but disabled, but KICS requires exactly "enabled".',
  evaluate(cluster) {
    const setting = blocks(cluster.config.setting).find((s) => s.name === 'containerInsights');
    if (!setting) return fail('no containerInsights setting');
    return requireOneOf(setting.value, ['enabled'], 'containerInsights');
  },
});
