import { checkReplan, changedAttributes, describeReplanEntry, EMULATOR_GAPS, EmulatorGap, gapListProblems } from '../../src/rehearsal/replan';
import { PlanDocument, PlanResourceChange } from '../../src/plan-review';

function rc(address: string, actions: string[], before: object | null, after: object | null, afterUnknown: object = {}): PlanResourceChange {
  const [type, name] = address.split('.');
  return { address, type, name, mode: 'managed', change: { actions: actions as never, before: before as never, after: after as never, after_unknown: afterUnknown as never } };
}

function plan(changes: PlanResourceChange[], outputs: Record<string, string[]> = {}): PlanDocument {
  return {
    format_version: '1.2',
    resource_changes: changes,
    output_changes: Object.fromEntries(Object.entries(outputs).map(([k, actions]) => [k, { actions: actions as never, before: null, after: null }])),
  };
}

const gap: EmulatorGap = { type: 'aws_lb', attribute: 'subnets', moto: 'moto returns the subnets in creation order, not as sent' };

describe('changedAttributes', () => {
  test('lists top-level attributes whose value differs or becomes unknown, sorted', () => {
    const change = rc('aws_lb.a', ['update'], { name: 'a', subnets: ['s1'], tags: { A: '1' }, arn: 'x' }, { name: 'a', subnets: ['s2'], tags: { A: '1' } }, { arn: true });
    expect(changedAttributes(change)).toEqual(['arn', 'subnets']);
  });

  test('a known nested structure in after_unknown ({} / [false]) is not a change', () => {
    const change = rc('aws_lb.a', ['update'], { access_logs: [{ enabled: true }], name: 'a' }, { access_logs: [{ enabled: true }], name: 'b' }, { access_logs: [{}] });
    expect(changedAttributes(change)).toEqual(['name']);
  });

  test('null and absent are the same value', () => {
    expect(changedAttributes(rc('aws_lb.a', ['update'], { x: null }, {}))).toEqual([]);
  });
});

describe('checkReplan', () => {
  test('no changes (no-op and read only) is clean', () => {
    const r = checkReplan(plan([rc('aws_vpc.v', ['no-op'], { a: 1 }, { a: 1 }), rc('data.aws_x.y', ['read'], null, {})]), [gap]);
    expect(r).toEqual({ ok: true, explained: [], unexplained: [], outputs: [] });
  });

  test('an update of allow-listed attributes only is explained and passes', () => {
    const r = checkReplan(plan([rc('aws_lb.a', ['update'], { subnets: ['s1'] }, { subnets: ['s2'] })]), [gap]);
    expect(r.ok).toBe(true);
    expect(r.explained.map(describeReplanEntry)).toEqual(['aws_lb.a update: subnets']);
  });

  test('the same attribute on another type, or another attribute, fails and is named', () => {
    const r = checkReplan(
      plan([rc('aws_alb.a', ['update'], { subnets: ['s1'] }, { subnets: ['s2'] }), rc('aws_lb.b', ['update'], { subnets: ['1'], idle_timeout: 60 }, { subnets: ['2'], idle_timeout: 30 })]),
      [gap],
    );
    expect(r.ok).toBe(false);
    expect(r.unexplained.map(describeReplanEntry)).toEqual(['aws_alb.a update: subnets (unexplained)', 'aws_lb.b update: idle_timeout (unexplained), subnets']);
  });

  test('creates, deletes and replacements are never explained by an attribute gap', () => {
    const r = checkReplan(
      plan([
        rc('aws_lb.gone', ['create'], null, { subnets: ['s'] }),
        rc('aws_lb.extra', ['delete'], { subnets: ['s'] }, null),
        rc('aws_lb.swap', ['delete', 'create'], { subnets: ['s1'] }, { subnets: ['s2'] }),
      ]),
      [gap],
    );
    expect(r.ok).toBe(false);
    expect(r.unexplained.map((e) => e.address)).toEqual(['aws_lb.gone', 'aws_lb.extra', 'aws_lb.swap']);
  });

  test('a changing output fails the re-plan', () => {
    const r = checkReplan(plan([], { url: ['update'], same: ['no-op'] }), []);
    expect(r).toMatchObject({ ok: false, outputs: ['url'] });
  });
});

describe('the allow-list', () => {
  test('the shipped list is well-formed: resource type, top-level attribute, a moto reason, no duplicates', () => {
    expect(gapListProblems(EMULATOR_GAPS)).toEqual([]);
  });

  test('problems are all reported together, each naming the entry', () => {
    expect(
      gapListProblems([
        { type: 'lb', attribute: 'subnets', moto: 'moto returns the subnets reordered' },
        { type: 'aws_lb', attribute: 'access_logs.0.enabled', moto: 'short' },
        gap,
        gap,
      ]),
    ).toEqual([
      'emulator gap #1 (lb.subnets): type "lb" is not a resource type (e.g. aws_lb)',
      'emulator gap #2 (aws_lb.access_logs.0.enabled): attribute "access_logs.0.enabled" is not a top-level attribute name (e.g. subnets)',
      'emulator gap #2 (aws_lb.access_logs.0.enabled): moto must say which moto behaviour causes the difference (at least 20 characters)',
      'emulator gap #4 (aws_lb.subnets): listed twice',
    ]);
  });
});
