/**
 * The windowed, lean plan reader the CLI uses (src/plan-review/lean-parse.ts) must be invisible:
 * the same review as parsing the whole text, on every fixture and a generated plan, whatever the
 * window size and however the bytes arrive; the same error messages on broken input; and it must
 * actually leave out the values a review does not read (the point of it: memory).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate } from '../../bench/review-plan/generate';
import { FORMATS, parsePlan, PlanDocument, render, reviewPlan } from '../../src/plan-review';
import { leanChange, leanStateResource, MAX_DEPTH, parsePlanBytes, parsePlanFile, pickMasked, ReadBytes } from '../../src/terraform-json/plan-reader';
import { allPlanFiles, inputErrorOf, loadPlan, piecewiseReader, SYNTHETIC } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-lean-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeTemp(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

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
function trickle(bytes: Buffer, allowReadAll = false): { read: ReadBytes; reread: () => ReadBytes; readAll: () => Buffer } {
  const reader = piecewiseReader(bytes, 13);
  return {
    read: reader(),
    reread: reader,
    readAll: () => {
      if (allowReadAll) return bytes;
      throw new Error('readAll called on valid input');
    },
  };
}

const messageOf = inputErrorOf;

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

describe('hostile and unusual input', () => {
  test('a secret under a __proto__ key of a no-op change or of prior_state is still redacted', () => {
    // Written out by hand: JSON.stringify would drop __proto__ members of object literals.
    const noop = '{"address":"aws_instance.a","type":"aws_instance","name":"a","change":{"actions":["no-op"],"before":{"__proto__":"proto-secret-1"},"after":{"__proto__":"proto-secret-1"},"before_sensitive":{"__proto__":true},"after_sensitive":{"__proto__":true}}}';
    const update = '{"address":"aws_instance.b","type":"aws_instance","name":"b","change":{"actions":["update"],"before":{"user_data":"old"},"after":{"user_data":"pw=proto-secret-1 and pw=proto-secret-2"}}}';
    const prior = '{"values":{"root_module":{"resources":[{"address":"aws_instance.c","type":"aws_instance","values":{"__proto__":"proto-secret-2"},"sensitive_values":{"__proto__":true}}]}}}';
    const text = `{"format_version":"1.2","resource_changes":[${noop},${update}],"prior_state":${prior}}`;
    for (const out of [reviews(parsePlanBytes(Buffer.from(text))), reviews(parsePlanFile(writeTemp('proto.json', text), 'proto.json', { windowBytes: 7 })), reviews(parsePlan(text))]) {
      expect(out).not.toContain('proto-secret');
      expect(out).toContain('pw=(sensitive value) and pw=(sensitive value)');
    }
  });

  test('values nested deeper than MAX_DEPTH are a clear input error, not a stack overflow', () => {
    const deep = `{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":["update"],"before":${'['.repeat(20000)}${']'.repeat(20000)},"after":null}}]}`;
    expect(messageOf(() => parsePlanBytes(Buffer.from(deep), 'deep.json'))).toBe(`deep.json: values or modules nest deeper than ${MAX_DEPTH} levels; no Terraform plan does (a corrupt or hostile file?)`);
    const file = path.join(dir, 'deep.json');
    fs.writeFileSync(file, deep);
    expect(messageOf(() => parsePlanFile(file, 'deep.json', { windowBytes: 64 }))).toMatch(/nest deeper than 512 levels/);
    const brokenDeep = deep.slice(0, 30000);
    expect(messageOf(() => parsePlanBytes(Buffer.from(brokenDeep), 'deep.json'))).toMatch(/^deep\.json: (the JSON ends early|values or modules nest deeper)/);
    const ok = `{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":["update"],"before":${'['.repeat(400)}${']'.repeat(400)},"after":null}}]}`;
    expect(parsePlanBytes(Buffer.from(ok)).resource_changes).toHaveLength(1);
  });

  test('child modules nested deeper than MAX_DEPTH are a clear input error too; 100 levels are fine', () => {
    const nested = (levels: number) =>
      `{"format_version":"1.2","resource_changes":[],"planned_values":{"root_module":${'{"child_modules":['.repeat(levels)}{"resources":[]}${']}'.repeat(levels)}}}`;
    expect(messageOf(() => parsePlanBytes(Buffer.from(nested(3000)), 'deep.json'))).toBe(
      `deep.json: values or modules nest deeper than ${MAX_DEPTH} levels; no Terraform plan does (a corrupt or hostile file?)`,
    );
    expect(reviewPlan(parsePlanBytes(Buffer.from(nested(100)))).status).toBe('no-changes');
  });

  test('a pipe (process substitution, /dev/stdin) is read whole, not by position', () => {
    const fifo = path.join(dir, 'plan.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat "$0" > "$1"`, GENERATED, fifo]);
    try {
      expect(reviews(parsePlanFile(fifo, 'plan.fifo'))).toBe(reviews(loadPlan(GENERATED)));
    } finally {
      writer.kill();
    }
  });

  test('UTF-16 is decoded and then read like UTF-8, with any window', () => {
    const file = path.join(dir, 'utf16.json');
    fs.writeFileSync(file, Buffer.from(`\ufeff${fs.readFileSync(GENERATED, 'utf8')}`, 'utf16le'));
    expect(reviews(parsePlanFile(file, 'utf16.json', { windowBytes: 3 }))).toBe(reviews(loadPlan(GENERATED)));
  });

  test('a byte-order mark and leading whitespace with windows of 2 to 9 bytes', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' \n\t'), fs.readFileSync(SYNTHETIC)]);
    const expected = reviews(loadPlan(SYNTHETIC));
    for (let size = 2; size < 10; size++) expect(reviews(parsePlanBytes(trickle(bytes), 'p', { windowBytes: size }))).toBe(expected);
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
    ['after multi-byte text on the same line (columns count UTF-16 units)', text.replace('}},{"address"', '}},{"note":"ü😀 ☃" "address"')],
    ['bad escape in a key', text.replace('"relevant_attributes"', '"relevant\\xattributes"')],
    ['pretty-printed, error on a later line', JSON.stringify(JSON.parse(text), null, 2).replace(/("prior_state"[^]*?"enabled": )true/, '$1ture')],
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
    // Explained from where the walk stopped: the input is never read whole (a plan over 512 MiB could not be).
    if (broken.trimStart().startsWith('{')) expect(messageOf(() => parsePlanBytes(trickle(Buffer.from(broken)), 'p.json', { windowBytes: 64 }))).toBe(expected);
  });

  test('truncated anywhere: never a summary, always the "ends early" message', () => {
    const bytes = Buffer.from(text);
    for (let k = 1; k < 60; k++) {
      const cut = Math.floor((bytes.length * k) / 60);
      const part = bytes.subarray(0, cut);
      expect(messageOf(() => parsePlanBytes(part, 'p.json'))).toMatch(/^p\.json: the JSON ends early/);
      expect(messageOf(() => parsePlanBytes(trickle(part), 'p.json', { windowBytes: 8 }))).toMatch(/^p\.json: the JSON ends early/);
    }
  });

  test('file system errors pass through for the caller to word', () => {
    expect(() => parsePlanFile(path.join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
