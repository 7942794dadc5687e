import { defineRule, fail, notApplicable, pass } from '../../types';
import { asBool, firstBlock } from '../../values';

export const EcsExecLogging = defineRule({
  id: 'MLF-ECS-2',
  name: 'EcsExecLogging',
  severity: 'medium',
  controls: ['ECS-EXEC-LOGGING'],
  scanners: { checkov: ['CKV_AWS_223', 'CKV_AWS_224'] },
  resourceTypes: ['aws_ecs_cluster'],
  info: 'If ECS Exec is configured, it logs (not NONE) with a KMS key and encrypted log destination.',
  explanation: 'Shell sessions into production tasks must be recorded and encrypted; leaving ECS Exec unconfigured (the default here) also passes.',
  evaluate(cluster) {
    const exec = firstBlock(firstBlock(cluster.config.configuration)?.execute_command_configuration);
    if (!exec) return notApplicable('no execute_command_configuration');
    if (exec.logging === 'NONE') return fail('logging is NONE');
    if (!exec.kms_key_id) return fail('kms_key_id is not set');
    const log = firstBlock(exec.log_configuration);
    if (exec.logging === 'OVERRIDE' && !(asBool(log?.cloud_watch_encryption_enabled) || asBool(log?.s3_bucket_encryption_enabled))) return fail('log_configuration does not enable encryption');
    return pass();
  },
});
