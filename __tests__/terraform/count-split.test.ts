/**
 * Large count blocks planned as equivalent smaller blocks (src/terraform/count-split.ts): the
 * configuration and state rewriting, what keeps a block whole, and the addresses mapped back. That
 * terraform plans the split configuration exactly as the original is shown with real terraform in
 * __tests__/migration/confirm.terraform.test.ts.
 */
import { shiftCountIndex, splitLargeCountBlocks } from '../../src/terraform/count-split';

const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';

describe('shiftCountIndex: count.index inside template expressions only', () => {
  test.each([
    ['${count.index}', '${(count.index + 100)}'],
    ['policy-${count.index + 1}', 'policy-${(count.index + 100) + 1}'],
    ['${format("bench-%05d", count.index)}', '${format("bench-%05d", (count.index + 100))}'],
    // a quoted string inside an expression is a template of its own
    ['${format("%s-${count.index}", var.x[count.index])}', '${format("%s-${(count.index + 100)}", var.x[(count.index + 100)])}'],
    ['%{ if count.index > 0 }a%{ endif }', '%{ if (count.index + 100) > 0 }a%{ endif }'],
    ['${jsonencode({ n = count.index, s = "}" })}', '${jsonencode({ n = (count.index + 100), s = "}" })}'],
    ['${10-count.index}', '${10-(count.index + 100)}'],
  ])('%s', (template, shifted) => {
    expect(shiftCountIndex(template, 100)).toBe(shifted);
  });

  test.each([
    ['literal text', 'count.index is documented here'],
    ['an escaped interpolation', '$${count.index} and %%{ count.index }'],
    ['a quoted escape', '${"\\"count.index"}'],
    ['a longer name', '${count.indexes} ${var.count.index}'],
  ])('leaves %s alone', (_what, template) => {
    expect(shiftCountIndex(template, 7)).toBe(template);
  });

  test.each([
    ['a heredoc', '${<<EOT\ncount.index\nEOT\n}'],
    ['a comment', '${count.index # why}'],
    ['a name glued to it', '${a-count.index}'],
    ['an unclosed interpolation', '${count.index'],
    ['an unclosed string', '${"count.index}'],
  ])('gives up on %s', (_what, template) => {
    expect(shiftCountIndex(template, 7)).toBeUndefined();
  });
});

/** A count block of `count` role policies and a state holding `stateKeys` of it. */
function fixture(count: number, stateKeys: readonly number[], extra: Record<string, unknown> = {}) {
  const stack = {
    resource: {
      aws_iam_role_policy: { policy: { count, name: '${format("p-%02d", count.index)}', role: 'r', policy: '{}', ...extra } },
      aws_iam_role: { r: { name: 'r' } },
    },
  };
  const state = {
    version: 4,
    resources: [
      { mode: 'managed', type: 'aws_iam_role', name: 'r', provider: AWS, instances: [{ attributes: { id: 'r' } }] },
      { mode: 'managed', type: 'aws_iam_role_policy', name: 'policy', each: 'list', provider: AWS, instances: stateKeys.map((k) => ({ index_key: k, attributes: { id: `r:p-${k}` } })) },
    ],
  };
  return { stack, state };
}

describe('splitLargeCountBlocks', () => {
  test('a block above the threshold becomes parts of at most partSize; the state instances move with their index shifted', () => {
    const { stack, state } = fixture(5, [0, 1, 2, 3, 4, 5, 6]);
    const before = JSON.stringify({ stack, state });
    const s = splitLargeCountBlocks(stack, state, { threshold: 2, partSize: 2 });
    expect(JSON.stringify({ stack, state })).toBe(before); // inputs untouched
    expect(s.split).toEqual([{ address: 'aws_iam_role_policy.policy', count: 5, parts: 3, partSize: 2 }]);
    expect(s.kept).toEqual([]);
    const blocks = s.stack.resource.aws_iam_role_policy;
    expect(Object.keys(blocks)).toEqual(['policy__part_0', 'policy__part_1', 'policy__part_2']);
    expect(blocks.policy__part_1).toEqual({ count: 2, name: '${format("p-%02d", (count.index + 2))}', role: 'r', policy: '{}' });
    expect(blocks.policy__part_2.count).toBe(1);
    const keys = Object.fromEntries(
      s.state.resources.filter((r: { type: string }) => r.type === 'aws_iam_role_policy').map((r: { name: string; each: string; instances: { index_key: number; attributes: { id: string } }[] }) => [r.name, r.instances.map((i) => `${i.index_key}=${i.attributes.id}`)]),
    );
    // 5 and 6 are past the count: in the last part they are past its count too, so terraform still deletes them.
    expect(keys).toEqual({ policy__part_0: ['0=r:p-0', '1=r:p-1'], policy__part_1: ['0=r:p-2', '1=r:p-3'], policy__part_2: ['0=r:p-4', '1=r:p-5', '2=r:p-6'] });
    expect(s.state.resources.find((r: { name: string }) => r.name === 'policy__part_1')).toMatchObject({ mode: 'managed', each: 'list', provider: AWS });
    expect(s.state.resources.map((r: { name: string }) => r.name)).toEqual(['r', 'policy__part_0', 'policy__part_1', 'policy__part_2']);
  });

  test('addresses map back; everything else is unchanged', () => {
    const { stack, state } = fixture(5, [0, 1, 2, 3, 4]);
    const s = splitLargeCountBlocks(stack, state, { threshold: 2, partSize: 2 });
    expect(s.realAddress('aws_iam_role_policy.policy__part_2[0]')).toBe('aws_iam_role_policy.policy[4]');
    expect(s.realAddress('aws_iam_role_policy.policy__part_1[1]')).toBe('aws_iam_role_policy.policy[3]');
    expect(s.realAddress('aws_iam_role_policy.policy__part_1')).toBe('aws_iam_role_policy.policy');
    expect(s.realAddress('aws_iam_role.r')).toBe('aws_iam_role.r');
    expect(s.realAddress('aws_iam_role_policy.other__part_1[0]')).toBe('aws_iam_role_policy.other__part_1[0]');
    expect(s.realText('Error: with aws_iam_role_policy.policy__part_2[1],\n  on cdk.tf.json')).toBe('Error: with aws_iam_role_policy.policy[5],\n  on cdk.tf.json');
  });

  test('blocks at or below the threshold, or with a count that is not a literal number, are not touched', () => {
    const { stack, state } = fixture(5, [0]);
    expect(splitLargeCountBlocks(stack, state, { threshold: 5 }).split).toEqual([]);
    const expr = { resource: { aws_iam_role_policy: { policy: { count: '${var.n}', name: 'x' } } } };
    expect(splitLargeCountBlocks(expr, undefined, { threshold: 0 }).stack).toEqual(expr);
  });

  test('the defaults: above 200 instances, parts of 100; without a state only the configuration changes', () => {
    const s = splitLargeCountBlocks(fixture(201, []).stack, undefined);
    expect(s.split).toEqual([{ address: 'aws_iam_role_policy.policy', count: 201, parts: 3, partSize: 100 }]);
    expect(s.state).toBeUndefined();
    expect(splitLargeCountBlocks(fixture(200, []).stack, undefined).split).toEqual([]);
  });

  test.each([
    ['another resource refers to it', (f: ReturnType<typeof fixture>) => ((f.stack.resource as Record<string, unknown>).aws_iam_role_policy_attachment = { a: { role: '${aws_iam_role_policy.policy[0].role}' } }), 'the configuration refers to it'],
    ['an output refers to it', (f: ReturnType<typeof fixture>) => ((f.stack as Record<string, unknown>).output = { all: { value: '${aws_iam_role_policy.policy[*].id}' } }), 'the configuration refers to it'],
    ['something depends on it', (f: ReturnType<typeof fixture>) => ((f.stack.resource.aws_iam_role.r as Record<string, unknown>).depends_on = ['aws_iam_role_policy.policy']), 'the configuration refers to it'],
    ['a moved block names it', (f: ReturnType<typeof fixture>) => ((f.stack as Record<string, unknown>).moved = [{ from: 'aws_iam_role_policy.old', to: 'aws_iam_role_policy.policy' }]), 'the configuration refers to it'],
    ['it has replace_triggered_by', (f: ReturnType<typeof fixture>) => ((f.stack.resource.aws_iam_role_policy.policy as Record<string, unknown>).lifecycle = { replace_triggered_by: ['aws_iam_role.r'] }), 'it has lifecycle.replace_triggered_by'],
    ['a state instance has a string key', (f: ReturnType<typeof fixture>) => ((f.state.resources[1].instances[0] as Record<string, unknown>).index_key = 'a'), 'its state has instances without a number key'],
    [
      'another state object depends on it',
      (f: ReturnType<typeof fixture>) => ((f.state.resources[0].instances[0] as Record<string, unknown>).dependencies = ['aws_iam_role_policy.policy']),
      'another object in the state depends on it',
    ],
    [
      'the state holds a check result for it',
      (f: ReturnType<typeof fixture>) =>
        ((f.state as Record<string, unknown>).check_results = [{ object_kind: 'resource', config_addr: 'aws_iam_role_policy.policy', status: 'pass', objects: [{ object_addr: 'aws_iam_role_policy.policy[0]', status: 'pass' }] }]),
      'the state holds check results for it',
    ],
    ['a part name is taken', (f: ReturnType<typeof fixture>) => ((f.stack.resource.aws_iam_role_policy as Record<string, unknown>).policy__part_1 = { name: 'y' }), 'aws_iam_role_policy.policy__part_1 exists'],
    ['a count.index it cannot read', (f: ReturnType<typeof fixture>) => (f.stack.resource.aws_iam_role_policy.policy.name = '${count.index # odd}'), 'a count.index in it is in an expression this check does not read'],
  ])('kept whole when %s, with the reason', (_what, change, reason) => {
    const f = fixture(5, [0, 1, 2, 3, 4]);
    change(f);
    const s = splitLargeCountBlocks(f.stack, f.state, { threshold: 2, partSize: 2 });
    expect(s.split).toEqual([]);
    expect(s.kept).toEqual([{ address: 'aws_iam_role_policy.policy', reason }]);
    expect(s.stack).toEqual(f.stack);
    expect(s.state).toEqual(f.state);
  });

  test('a similar name elsewhere is not a reference; the output is deterministic', () => {
    const f = fixture(5, [0, 1, 2, 3, 4]);
    (f.stack.resource as Record<string, unknown>).aws_iam_role_policy_attachment = { a: { role: '${aws_iam_role_policy.policy_two.role} data.aws_iam_role_policy.policy' } };
    const a = splitLargeCountBlocks(f.stack, f.state, { threshold: 2, partSize: 2 });
    expect(a.split.map((b) => b.address)).toEqual(['aws_iam_role_policy.policy']);
    expect(JSON.stringify(splitLargeCountBlocks(f.stack, f.state, { threshold: 2, partSize: 2 }).stack)).toBe(JSON.stringify(a.stack));
  });

  test('a part size that is not a whole number >= 1 is refused', () => {
    expect(() => splitLargeCountBlocks({}, undefined, { partSize: 0 })).toThrow('splitLargeCountBlocks: partSize must be a whole number >= 1, got 0');
  });
});
