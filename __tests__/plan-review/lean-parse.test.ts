/**
 * The windowed, lean plan reader the CLI uses (src/plan-review/lean-parse.ts) must be invisible:
 * the same review as parsing the whole text, on every fixture and a generated plan, whatever the
 * window size and however the bytes arrive; the same error messages on broken input; and it must
 * actually leave out the values a review does not read (the point of it: memory).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate } from '../../bench/review-plan/generate';
import { FORMATS, parsePlan, PlanDocument, PlanInputError, render, reviewPlan } from '../../src/plan-review';
import { leanChange, leanStateResource, parsePlanBytes, parsePlanFile, pickMasked, ReadBytes } from '../../src/plan-review/lean-parse';
import { allPlanFiles, loadPlan } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-lean-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A generated plan: every action, modules under child_modules, sensitive values, drift. */
const GENERATED = path.join(dir, 'generated.json');
generate(GENERATED, 400);
const files = [...allPlanFiles(), GENERATED];

/** Every rendering of the review (all formats, guard on and refresh-only) as one string. */
function reviews(plan: PlanDocument): string {
  const out: string[] = [];
  for (const refreshOnly of [false, true]) {
    const review = reviewPlan(plan, { refreshOnly, allowDestroy: ['aws_s3_bucket.r2'] });
    for (const format of FORMATS) out.push(render(review, format, { colour: format === 'text' }));
  }
  return out.join('\n----\n');
}

/** A reader handing out the bytes in small, uneven pieces; whole reads (to explain an error) only when allowed. */
function trickle(bytes: Buffer, allowReadAll = false): { read: ReadBytes; readAll: () => Buffer } {
  let position = 0;
  let turn = 0;
  return {
    read: (target, offset, length) => {
      const n = Math.min(length, bytes.length - position, 1 + (turn++ % 13));
      bytes.copy(target, offset, position, position + n);
      position += n;
      return n;
    },
    readAll: () => {
      if (allowReadAll) return bytes;
      throw new Error('readAll called on valid input');
    },
  };
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PlanInputError);
    return (err as Error).message;
  }
  throw new Error('expected a PlanInputError');
}

describe('same review as the whole-text parse', () => {
  test.each(files.map((f) => [path.basename(f), f]))('%s: file in default windows, tiny windows, trickled reads and one buffer', (_name, file) => {
    const expected = reviews(loadPlan(file));
    const name = path.basename(file);
    expect(reviews(parsePlanFile(file, name))).toBe(expected);
    expect(reviews(parsePlanFile(file, name, { windowBytes: 16 }))).toBe(expected);
    const bytes = fs.readFileSync(file);
    expect(reviews(parsePlanBytes(bytes, name))).toBe(expected);
    if (bytes[0] === 0x7b) expect(reviews(parsePlanBytes(trickle(bytes), name, { windowBytes: 5 }))).toBe(expected);
  });

  test('pretty-printed with CRLF line ends and a UTF-8 byte-order mark', () => {
    const text = JSON.stringify(JSON.parse(fs.readFileSync(GENERATED, 'utf8')), null, 2).replace(/\n/g, '\r\n');
    const file = path.join(dir, 'pretty.json');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\r\n ${text}\r\n\t`)]));
    expect(reviews(parsePlanFile(file, 'pretty.json', { windowBytes: 64 }))).toBe(reviews(loadPlan(GENERATED)));
  });

  test('members named __proto__ stay own data, as with JSON.parse', () => {
    const text = '{"format_version":"1.2","__proto__":{"polluted":true},"resource_changes":[{"__proto__":1,"type":"t","name":"n","address":"t.n","change":{"actions":["no-op"]}}]}';
    const lean = parsePlanBytes(Buffer.from(text)) as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(lean)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(lean, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(reviews(lean as unknown as PlanDocument)).toBe(reviews(parsePlan(text)));
  });
});

describe('what is left out', () => {
  test('planned_values/prior_state keep only sensitive values; no-op and read changes only their sensitive parts', () => {
    const lean = parsePlanFile(GENERATED, 'generated.json', { windowBytes: 4096 });
    const full = loadPlan(GENERATED);
    expect(JSON.stringify(lean).length).toBeLessThan(0.5 * JSON.stringify(full).length);
    const child = lean.planned_values!.root_module!.child_modules![0];
    expect(child.resources![0].values).toEqual({ password: expect.stringMatching(/^bench-secret-/) });
    expect(lean.prior_state!.values!.root_module!.resources![0].values).toEqual({ password: expect.stringMatching(/^bench-secret-/) });
    const noop = lean.resource_changes!.find((rc) => rc.change.actions.join() === 'no-op')!;
    expect(noop.change.before).toEqual({ password: expect.any(String) });
    expect(noop.change.after).toEqual({ password: expect.any(String) });
    const update = lean.resource_changes!.find((rc) => rc.change.actions.join() === 'update')!;
    const fullUpdate = full.resource_changes!.find((rc) => rc.address === update.address)!;
    expect(update).toEqual(fullUpdate);
    expect(lean.resource_drift).toEqual(full.resource_drift);
  });

  test('pickMasked keeps exactly the marked parts', () => {
    const value = { a: 'x', b: { c: 'secret', d: 'open' }, list: ['p', 'q', { k: 's' }], n: 1 };
    expect(pickMasked(value, true)).toBe(value);
    expect(pickMasked(value, false)).toBeUndefined();
    expect(pickMasked(value, {})).toBeUndefined();
    expect(pickMasked(value, { b: { c: true }, list: [false, true, { k: true }], n: true })).toEqual({ b: { c: 'secret' }, list: [undefined, 'q', { k: 's' }], n: 1 });
    expect(pickMasked(null, { a: true })).toBeUndefined();
  });

  test('leanChange leaves changes whose values the review reads alone', () => {
    for (const actions of [['update'], ['create'], ['delete'], ['delete', 'create'], ['create', 'delete'], ['forget']]) {
      const rc = { address: 'a.b', type: 'a', name: 'b', change: { actions, before: { x: 1 }, after: { x: 2 }, before_sensitive: {}, after_sensitive: {} } };
      expect(leanChange(rc)).toBe(rc);
    }
    expect(leanChange({ change: { actions: ['read'], before: null, after: { x: 1, s: 'k' }, after_sensitive: { s: true } } })).toEqual({
      change: { actions: ['read'], before: undefined, after: { s: 'k' }, after_sensitive: { s: true } },
    });
    expect(leanStateResource({ address: 'a.b', values: { x: 1 } })).toEqual({ address: 'a.b', values: undefined });
    expect(leanStateResource('odd')).toBe('odd');
  });
});

describe('broken input: the same message as the whole-text parse', () => {
  const text = fs.readFileSync(GENERATED, 'utf8');
  const cases: [string, string][] = [
    ['missing comma between changes', text.replace('}},{"address"', '}}{"address"')],
    ['bad literal inside prior_state', text.replace(/("prior_state".*?"enabled":)true/, '$1ture')],
    ['mismatched bracket inside planned_values', text.replace(/("planned_values".*?"settings":\[.*?)\]/, '$1}')],
    ['trailing garbage', `${text} {}`],
    ['a second document', `${text}\n${text}`],
    ['member without a value', text.replace('"relevant_attributes":[]', '"relevant_attributes":')],
    ['state file', fs.readFileSync(path.join(__dirname, 'fixtures/crafted-aws/terraform.tfstate'), 'utf8')],
    ['unknown format version', text.replace('"format_version":"1.2"', '"format_version":"2.0"')],
    ['human-readable plan', 'Terraform will perform the following actions:\n'],
    ['empty', ' \n'],
    ['array', '[]'],
  ];
  test.each(cases)('%s', (_name, broken) => {
    expect(broken).not.toBe(text);
    const expected = messageOf(() => parsePlan(broken, 'p.json'));
    expect(messageOf(() => parsePlanBytes(Buffer.from(broken), 'p.json'))).toBe(expected);
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, broken);
    expect(messageOf(() => parsePlanFile(file, 'p.json', { windowBytes: 32 }))).toBe(expected);
  });

  test('truncated anywhere: never a summary, always the "ends early" message', () => {
    const bytes = Buffer.from(text);
    for (let k = 1; k < 60; k++) {
      const cut = Math.floor((bytes.length * k) / 60);
      const part = bytes.subarray(0, cut);
      expect(messageOf(() => parsePlanBytes(part, 'p.json'))).toMatch(/^p\.json: the JSON ends early/);
      expect(messageOf(() => parsePlanBytes(trickle(part, true), 'p.json', { windowBytes: 8 }))).toMatch(/^p\.json: the JSON ends early/);
    }
  });

  test('file system errors pass through for the caller to word', () => {
    expect(() => parsePlanFile(path.join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
