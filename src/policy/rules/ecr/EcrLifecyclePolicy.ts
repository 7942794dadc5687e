import { defineRule, fail, pass, unknown } from '../../types';

export const EcrLifecyclePolicy = defineRule({
  id: 'MLF-ECR-4',
  name: 'EcrLifecyclePolicy',
  severity: 'low',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_ecr_repository'],
  info: 'An aws_ecr_lifecycle_policy with at least one expire rule references the repository.',
  explanation: 'Without expiry, untagged layers and old images accumulate cost and stale vulnerable images. No scanner checks it.',
  evaluate(repo, stack) {
    const policies = stack.referencing(repo, ['aws_ecr_lifecycle_policy'], 'repository');
    if (policies.length === 0) return fail('no aws_ecr_lifecycle_policy references this repository');
    const text = policies[0].config.policy;
    if (typeof text !== 'string' || text.trim().startsWith('${')) return unknown('the lifecycle policy is not literal JSON');
    try {
      const rules = (JSON.parse(text) as { rules?: { action?: { type?: string } }[] }).rules ?? [];
      return rules.some((r) => r.action?.type === 'expire') ? pass() : fail('the lifecycle policy has no expire rule');
    } catch {
      return unknown('the lifecycle policy is not valid JSON');
    }
  },
});
