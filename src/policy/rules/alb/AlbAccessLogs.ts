import { combine, defineRule, fail, notApplicable } from '../../types';
import { firstBlock, requireSet, requireTrue } from '../../values';

export const AlbAccessLogs = defineRule({
  id: 'MLF-ALB-1',
  name: 'AlbAccessLogs',
  severity: 'medium',
  controls: ['ALB-ACCESS-LOGS'],
  scanners: { checkov: ['CKV_AWS_91'], kics: ['3e34db4f-0ad9-4290-bfd0-4a9ee884acaf'] },
  resourceTypes: ['aws_lb', 'aws_alb'],
  info: 'access_logs is declared with enabled = true and a bucket.',
  explanation: 'Access logs are the request-level record of who used MLflow; the target bucket must use SSE-S3.',
  evaluate(lb) {
    if (lb.config.load_balancer_type === 'gateway') return notApplicable('gateway load balancer');
    const logs = firstBlock(lb.config.access_logs);
    if (!logs) return fail('no access_logs block');
    return combine([requireTrue(logs.enabled, 'access_logs.enabled'), requireSet(logs.bucket, 'access_logs.bucket')]);
  },
});
