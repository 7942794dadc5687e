/**
 * The terraform confirmation reads `terraform show -json` only when `terraform plan -json` plans more
 * than creations (src/migration/confirm.ts, onlyCreations). Without terraform: the JSON lines as
 * terraform 1.11 writes them.
 */
import { onlyCreations } from '../../src/migration/confirm';

const resource = (addr: string) => {
  const [type, name] = addr.replace(/^data\./, '').split('.');
  return { addr, module: '', resource: addr, implied_provider: 'aws', resource_type: type, resource_name: name.replace(/\[.*$/, ''), resource_key: null };
};
const planned = (addr: string, action: string, extra: Record<string, unknown> = {}) => JSON.stringify({ '@level': 'info', type: 'planned_change', change: { resource: resource(addr), action, ...extra } });
const summary = (add: number, change = 0, remove = 0, imported = 0) =>
  JSON.stringify({ '@level': 'info', type: 'change_summary', changes: { add, change, import: imported, remove, operation: 'plan' } });
const version = JSON.stringify({ '@level': 'info', type: 'version', terraform: '1.11.4', ui: '1.2' });
const lines = (...l: string[]) => l.join('\n') + '\n';

describe('onlyCreations: when terraform show -json can be skipped', () => {
  test('no change at all: nothing to create, nothing to examine', () => {
    expect(onlyCreations(lines(version, summary(0)))).toEqual([]);
  });

  test('creations (and data source reads) only: their addresses', () => {
    expect(onlyCreations(lines(version, planned('aws_s3_bucket.a', 'create'), planned('data.aws_iam_policy_document.p', 'read'), planned('aws_subnet.b[1]', 'create'), summary(2)))).toEqual([
      'aws_s3_bucket.a',
      'aws_subnet.b[1]',
    ]);
  });

  test.each([
    ['an update', [planned('aws_s3_bucket.a', 'update'), summary(0, 1)]],
    ['a replacement', [planned('aws_vpc.v', 'replace', { reason: 'cannot_update' }), summary(1, 0, 1)]],
    ['a deletion', [planned('aws_db_instance.d', 'delete', { reason: 'delete_because_no_resource_config' }), summary(0, 0, 1)]],
    ['a forget (removed block)', [planned('aws_db_instance.d', 'remove'), summary(0, 0, 1)]],
    ['a move', [planned('aws_s3_bucket.b', 'noop', { previous_resource: resource('aws_s3_bucket.a') }), summary(0)]],
    ['an import', [planned('aws_s3_bucket.a', 'noop', { importing: { id: 'a' } }), summary(0, 0, 0, 1)]],
    ['an action this code does not know', [planned('aws_s3_bucket.a', 'transmogrify'), summary(0)]],
    ['a data source anything but read', [planned('data.aws_s3_bucket.a', 'delete'), summary(0)]],
    ['no change_summary', [planned('aws_s3_bucket.a', 'create')]],
    ['a summary that counts more than the planned_change lines show', [planned('aws_s3_bucket.a', 'create'), summary(2)]],
    ['a summary with a change the lines do not show', [planned('aws_s3_bucket.a', 'create'), summary(1, 1)]],
    ['a summary count this code does not know', [planned('aws_s3_bucket.a', 'create'), JSON.stringify({ type: 'change_summary', changes: { add: 1, change: 0, remove: 0, import: 0, forget: 1, operation: 'plan' } })]],
    ['a line that is not JSON', [planned('aws_s3_bucket.a', 'create'), '{not json', summary(1)]],
  ])('%s: undefined (terraform show -json is read)', (_what, msgs) => {
    expect(onlyCreations(lines(version, ...msgs))).toBeUndefined();
  });
});
