import { defineRule, fail, notApplicable, pass } from '../../types';
import { blocks, firstBlock } from '../../values';

export const EcsNonEfsVolumes = defineRule({
  id: 'MLF-ECS-12',
  name: 'EcsNonEfsVolumes',
  severity: 'low',
  controls: ['ECS-EFS-TRANSIT'],
  scanners: { kics: ['4d46ff3b-7160-41d1-a310-71d6d370b08f'] },
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'Every task volume is an EFS volume with transit encryption (KICS reading).',
  explanation: 'KICS flags any volume without efs_volume_configuration, which conflicts with CKV_AWS_336: the scratch volume a read-only root filesystem needs is a plain task volume on Fargate ephemeral storage (AWS-encrypted). Suppress with that reason.',
  evaluate(task) {
    const volumes = blocks(task.config.volume);
    if (volumes.length === 0) return notApplicable('no volumes');
    const plain = volumes.filter((v) => !firstBlock(v.efs_volume_configuration));
    return plain.length > 0 ? fail(`non-EFS volume(s): ${plain.map((v) => String(v.name)).join(', ')}`) : pass();
  },
});
