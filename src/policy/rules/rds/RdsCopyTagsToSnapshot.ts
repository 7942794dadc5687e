import { defineRule, notApplicable } from '../../types';
import { requireTrue } from '../../values';
import { isAurora } from './util';

export const RdsCopyTagsToSnapshot = defineRule({
  id: 'MLF-RDS-12',
  name: 'RdsCopyTagsToSnapshot',
  severity: 'low',
  controls: ['RDS-COPY-TAGS'],
  scanners: { checkov: ['CKV2_AWS_60', 'CKV_AWS_313'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  info: 'copy_tags_to_snapshot is true.',
  explanation: 'Snapshots keep the ownership and cost tags of the database they came from.',
  evaluate(db) {
    if (db.type === 'aws_db_instance' && isAurora(db)) return notApplicable('aurora instance: set on the cluster');
    return requireTrue(db.config.copy_tags_to_snapshot, 'copy_tags_to_snapshot');
  },
});
