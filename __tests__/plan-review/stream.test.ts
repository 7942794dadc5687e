/**
 * The streamed review (src/plan-review/stream.ts, what `review-plan` runs) must be invisible: the
 * review of the whole plan, byte for byte in every format, on every fixture and a generated plan;
 * the same errors; and it must stream (read the plan once) where it can, and read it again whole
 * where streaming could be wrong: a sensitive value learned after a text was redacted, drift
 * listed after the changes, a member given twice.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate } from '../../bench/review-plan/generate';
import { FORMATS, parsePlan, PlanReview, render, renderJson, renderJsonChunks, reviewPlan, reviewPlanBytes, ReviewOptions } from '../../src/plan-review';
import { ReadBytes } from '../../src/terraform-json/plan-reader';
import { allPlanFiles, inputErrorOf, loadPlan, piecewiseReader } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-stream-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const GENERATED = path.join(dir, 'generated.json');
generate(GENERATED, 400);
const files = [...allPlanFiles(), GENERATED];

const OPTIONS: ReviewOptions[] = [{ allowDestroy: ['aws_s3_bucket.r2'] }, { refreshOnly: true, protectTypes: ['aws_iam_role'] }];

/** Every rendering of a review as one string. */
function rendered(review: PlanReview): string {
  return FORMATS.map((format) => render(review, format, { colour: format === 'text' })).join('\n----\n');
}

/** Plan bytes in small, uneven pieces; counts how often they are read from the start again. */
function trickle(bytes: Buffer): { read: ReadBytes; reread: () => ReadBytes; readAll: () => Buffer; rereads: () => number } {
  let rereads = 0;
  const reader = piecewiseReader(bytes, 4093);
  return {
    read: reader(),
    reread: () => {
      rereads += 1;
      return reader();
    },
    readAll: () => bytes,
    rereads: () => rereads,
  };
}

/** A plan from its members, in the order given. */
function planText(members: [string, unknown][]): string {
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}

const change = (address: string, actions: string[], before: unknown, after: unknown, extra: Record<string, unknown> = {}) => {
  const [type, name] = address.split('.');
  return { address, mode: 'managed', type, name, change: { actions, before, after, after_unknown: {}, before_sensitive: {}, after_sensitive: {}, ...extra } };
};

describe('the streamed review is the review of the whole plan', () => {
  test.each(files.map((f) => [path.basename(f), f]))('%s: every format, with and without the guard and refresh-only', (_name, file) => {
    const bytes = fs.readFileSync(file);
    const whole = loadPlan(file);
    for (const options of OPTIONS) {
      expect(rendered(reviewPlanBytes(trickle(bytes), 'p', options))).toBe(rendered(reviewPlan(whole, options)));
      expect(rendered(reviewPlanBytes(bytes, 'p', options))).toBe(rendered(reviewPlan(whole, options)));
    }
  });

  test('a plan in Terraform\'s member order (drift before changes) is read once: nothing is read again', () => {
    const input = trickle(fs.readFileSync(GENERATED));
    const review = reviewPlanBytes(input, 'p');
    expect(input.rereads()).toBe(0);
    expect(review.summary.update).toBeGreaterThan(0);
    expect(review.drift.length).toBeGreaterThan(0);
  });
});

test('drift of a mirrored attribute: the managing resource\'s planned values are kept for it (streamed, one read)', () => {
  const doc = (action: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
  const role = (inline: object[]) => ({ name: 'task', inline_policy: inline });
  // The inline policy's name is an expression: only the aws_iam_role_policy change says it is 'managed-inline'.
  const text = planText([
    ['format_version', '1.2'],
    ['resource_drift', [change('aws_iam_role.task', ['update'], role([]), role([{ name: 'managed-inline', policy: doc('s3:*') }, { name: 'by-hand', policy: doc('iam:*') }]))]],
    ['resource_changes', [change('aws_iam_role_policy.p', ['no-op'], { name: 'managed-inline', role: 'task' }, { name: 'managed-inline', role: 'task' })]],
    ['configuration', { root_module: { resources: [{ address: 'aws_iam_role_policy.p', mode: 'managed', type: 'aws_iam_role_policy', name: 'p', expressions: { name: { references: ['var.n'] }, role: { references: ['aws_iam_role.task'] } } }] } }],
  ]);
  const input = trickle(Buffer.from(text));
  const review = reviewPlanBytes(input, 'p');
  expect(input.rereads()).toBe(0);
  expect(review.driftSecurity.map((f) => f.details)).toEqual([['inline_policy by-hand: allows iam:* on *']]);
  expect(rendered(review)).toBe(rendered(reviewPlan(parsePlan(text))));
});

describe('where streaming could be wrong, the plan is read again whole', () => {
  // A variable is sensitive by its declaration in `configuration`, after the changes; its value was
  // copied into an attribute of a change that does not mark it.
  const lateSecret = planText([
    ['format_version', '1.2'],
    ['variables', { token: { value: 'tok-3f9a1c' } }],
    ['resource_changes', [change('aws_ssm_parameter.a', ['update'], { value: 'old', note: 'n' }, { value: 'tok-3f9a1c', note: 'n' })]],
    ['configuration', { root_module: { variables: { token: { sensitive: true } } } }],
  ]);

  test('a sensitive value learned after a text was redacted: read again, and the value is hidden', () => {
    const input = trickle(Buffer.from(lateSecret));
    const review = reviewPlanBytes(input, 'p');
    expect(input.rereads()).toBe(1);
    expect(review.resources[0].attributes).toEqual([expect.objectContaining({ path: 'value', before: '"old"', after: '(sensitive value)' })]);
    expect(rendered(review)).toBe(rendered(reviewPlan(parsePlan(lateSecret))));
    expect(rendered(review)).not.toContain('tok-3f9a1c');
  });

  test('a sensitive value learned late that no earlier text holds: no second read', () => {
    const text = lateSecret.replace('"after":{"value":"tok-3f9a1c"', '"after":{"value":"new"');
    expect(text).not.toBe(lateSecret);
    const input = trickle(Buffer.from(text));
    expect(rendered(reviewPlanBytes(input, 'p'))).toBe(rendered(reviewPlan(parsePlan(text))));
    expect(input.rereads()).toBe(0);
  });

  test('a short sensitive value (matched only whole) that is a leaf of a value shown earlier', () => {
    const text = planText([
      ['format_version', '1.2'],
      ['variables', { pin: { value: 'ab' } }],
      ['resource_changes', [change('aws_ssm_parameter.a', ['update'], { tags: { k: 'x' } }, { tags: { k: 'ab' } })]],
      ['configuration', { root_module: { variables: { pin: { sensitive: true } } } }],
    ]);
    const input = trickle(Buffer.from(text));
    expect(rendered(reviewPlanBytes(input, 'p'))).toBe(rendered(reviewPlan(parsePlan(text))));
    expect(input.rereads()).toBe(1);
  });

  test('drift after the changes (not Terraform\'s order): read again, drift still sees the planned values', () => {
    const before = { name: 'a', size: 1 };
    const text = planText([
      ['format_version', '1.2'],
      ['resource_changes', [change('aws_s3_bucket.a', ['update'], { name: 'a', size: 2 }, before)]],
      ['resource_drift', [change('aws_s3_bucket.a', ['update'], before, { name: 'a', size: 2 })]],
    ]);
    const input = trickle(Buffer.from(text));
    const review = reviewPlanBytes(input, 'p');
    expect(input.rereads()).toBe(1);
    expect(review.drift.map((d) => d.classification)).toEqual(['reverted']);
    expect(rendered(review)).toBe(rendered(reviewPlan(parsePlan(text))));
  });

  test('resource_changes given twice: the last one counts, as when parsed whole', () => {
    const text = `{"format_version":"1.2","resource_changes":${JSON.stringify([change('aws_s3_bucket.a', ['create'], null, { name: 'a' })])},"resource_changes":[]}`;
    const input = trickle(Buffer.from(text));
    const review = reviewPlanBytes(input, 'p');
    expect(input.rereads()).toBe(1);
    expect(review.summary.create).toBe(0);
  });
});

describe('errors are those of the whole plan', () => {
  test('a problem in a change and one after the changes are reported together, in the same words', () => {
    const text = planText([
      ['format_version', '1.2'],
      ['resource_changes', [change('aws_s3_bucket.a', ['create'], null, {}), { address: 'x', type: 't', name: 'n', change: {} }]],
      ['relevant_attributes', [{}]],
    ]);
    const message = inputErrorOf(() => reviewPlanBytes(Buffer.from(text), 'p'));
    expect(message).toBe(inputErrorOf(() => parsePlan(text, 'p')));
    expect(message).toContain('resource_changes[1] has no "change.actions" array');
    expect(message).toContain('relevant_attributes[0]');
  });

  test('an unknown action combination is reported after the plan\'s own problems, as when parsed whole', () => {
    const bad = change('aws_s3_bucket.a', ['update', 'delete'], {}, {});
    const broken = planText([['format_version', '1.2'], ['resource_changes', [bad]], ['output_changes', { o: {} }]]);
    expect(inputErrorOf(() => reviewPlanBytes(Buffer.from(broken), 'p'))).toBe(inputErrorOf(() => parsePlan(broken, 'p')));
    const valid = planText([['format_version', '1.2'], ['resource_changes', [bad]]]);
    const message = inputErrorOf(() => reviewPlanBytes(Buffer.from(valid), 'p'));
    expect(message).toBe(inputErrorOf(() => reviewPlan(parsePlan(valid, 'p'))));
    expect(message).toContain('unknown action combination');
  });

  test('cut short inside a literal or a number: "the JSON ends early", streamed or whole', () => {
    const text = '{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":["update"],"before":{"on":false,"n":-1.5e+3},"after":{"on":true,"n":2}}}],"errored":false}';
    for (const tail of ['"on":t', '"on":fa', '"n":-', '"n":-1.', '"n":-1.5e', '"n":-1.5e+', '"errored":f']) {
      const cut = text.slice(0, text.indexOf(tail) + tail.length);
      expect(inputErrorOf(() => parsePlan(cut, 'p'))).toMatch(/^p: the JSON ends early/);
      expect(inputErrorOf(() => reviewPlanBytes(trickle(Buffer.from(cut)), 'p'))).toMatch(/^p: the JSON ends early/);
    }
    // Wrong before the end: still where it starts.
    expect(inputErrorOf(() => parsePlan('{"a":tx}', 'p'))).toMatch(/not valid JSON at line 1, column 6/);
  });

  test('a plan cut short still says "the JSON ends early"', () => {
    const bytes = fs.readFileSync(GENERATED);
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    expect(inputErrorOf(() => reviewPlanBytes(trickle(cut), 'p'))).toBe(inputErrorOf(() => parsePlan(cut.toString('utf8'), 'p')));
  });
});

test('renderJsonChunks joined is renderJson, on every fixture', () => {
  for (const file of files) {
    const review = reviewPlan(loadPlan(file), { allowDestroy: ['aws_s3_bucket.r2'] });
    expect([...renderJsonChunks(review)].join('')).toBe(renderJson(review));
  }
});
