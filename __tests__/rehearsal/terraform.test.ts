import { ApplyTracker, failureText } from '../../src/rehearsal/terraform';

const line = (o: object) => JSON.stringify(o);
const hook = (addr: string) => ({ hook: { resource: { addr } } });

test('ApplyTracker counts planned, started, completed and failed actions from terraform apply -json', () => {
  const t = new ApplyTracker();
  expect(t.line('Terraform will perform the following actions')).toBe(false);
  for (const [addr, action] of [['aws_vpc.main', 'create'], ['aws_subnet.a', 'create'], ['aws_db_instance.db', 'create'], ['data.aws_x.y', 'read'], ['aws_kms_key.k', 'noop']]) {
    t.line(line({ type: 'planned_change', change: { action, resource: { addr } } }));
  }
  expect(t.planned).toBe(3);
  t.line(line({ type: 'apply_start', ...hook('aws_vpc.main') }));
  t.line(line({ type: 'apply_start', ...hook('aws_db_instance.db') }));
  t.line(line({ type: 'apply_start', ...hook('aws_subnet.a') }));
  t.line(line({ type: 'apply_complete', ...hook('aws_vpc.main') }));
  expect(t.describe('apply')).toBe('apply 1/3 done, 2 in progress (aws_db_instance.db, aws_subnet.a)');
  t.line(line({ type: 'apply_errored', ...hook('aws_subnet.a') }));
  t.line(line({ type: 'diagnostic', diagnostic: { severity: 'error', summary: 'creating EC2 Subnet: InvalidParameterValue', detail: '' } }));
  expect(t.describe('apply')).toBe('apply 1/3 done, 1 failed, 1 in progress (aws_db_instance.db)');
  expect(t.errored).toEqual(['aws_subnet.a']);
  expect(t.diagnostics.map((d) => d.summary)).toEqual(['creating EC2 Subnet: InvalidParameterValue']);
  expect(t.line('{not json')).toBe(false);
});

test('failureText keeps the exit code and the last lines of terraform output', () => {
  const stderr = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
  const text = failureText('plan', { code: 1, stdout: '', stderr });
  expect(text.split('\n')[0]).toBe('terraform plan exited 1:');
  expect(text).toContain('line 30');
  expect(text).not.toContain('line 15\n');
});
