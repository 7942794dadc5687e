import { defineRule, fail, notApplicable, pass } from '../../types';
import { blocks, firstBlock } from '../../values';

export const EcsEfsTransitEncryption = defineRule({
  id: 'MLF-ECS-11',
  name: 'EcsEfsTransitEncryption',
  severity: 'high',
  controls: ['ECS-EFS-TRANSIT'],
  scanners: { checkov: ['CKV_AWS_97'], trivy: ['AVD-AWS-0035'], terrascan: ['AC_AWS_0463'] },
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'EFS volumes use transit_encryption = ENABLED.',
  explanation: 'EFS traffic crosses the VPC network; without TLS it is readable by anything on the path.',
  evaluate(task) {
    const efs = blocks(task.config.volume).map((v) => firstBlock(v.efs_volume_configuration)).filter((e) => e !== undefined);
    if (efs.length === 0) return notApplicable('no EFS volumes');
    return efs.every((e) => e!.transit_encryption === 'ENABLED') ? pass() : fail('an EFS volume does not enable transit encryption');
  },
});
