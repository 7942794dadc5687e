/** Bad input gives one clear message (exit 1 at the CLI), never a stack trace or a wrong summary. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPlan, decodePlanBytes, FORMATS, parsePlan, PlanInputError, render, reviewPlan } from '../../src/plan-review';
import { CRAFTED, inputErrorOf, loadPlan, sharedPlan, SYNTHETIC } from './helpers';

const errorOf = inputErrorOf;

describe('encodings', () => {
  test('UTF-16LE with BOM and CRLF (fixture 09) decodes to the same plan', () => {
    const bytes = fs.readFileSync(sharedPlan('09'));
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    const review = reviewPlan(parsePlan(decodePlanBytes(bytes)));
    expect(review.terraformVersion).toBe('1.0.5');
    expect(review.summary.create).toBe(3);
  });

  test('UTF-16BE with BOM, UTF-8 with BOM and UTF-16LE without BOM decode too', () => {
    const text = '{"format_version":"1.0","resource_changes":[]}';
    const be = Buffer.from('\ufeff' + text, 'utf16le').swap16();
    expect(decodePlanBytes(be)).toBe(text);
    expect(decodePlanBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    expect(decodePlanBytes(Buffer.from(text, 'utf16le'))).toBe(text);
  });
});

describe('rejections', () => {
  test('not JSON, with line and column', () => {
    expect(errorOf(() => parsePlan('{\n  "format_version": nope\n}', 'plan.json'))).toBe('plan.json: not valid JSON at line 2, column 21 (the text there is not shown: plans can hold secrets)');
  });

  test('the message never quotes the broken text (it may be a secret)', () => {
    const broken = '{"format_version":"1.2","variables":{"db_password":{"value":hunter2-Super-Secret}}}';
    const message = errorOf(() => parsePlan(broken, 'plan.json'));
    expect(message).toBe('plan.json: not valid JSON at line 1, column 61 (the text there is not shown: plans can hold secrets)');
    expect(message).not.toMatch(/hunter|Super|Secret/);
    expect(errorOf(() => parsePlan('{"a":"hunter2-Super', 'plan.json'))).toBe('plan.json: the JSON ends early (truncated file or interrupted pipe?)');
  });

  test('truncated JSON', () => {
    const text = fs.readFileSync(sharedPlan('02'), 'utf8');
    expect(errorOf(() => parsePlan(text.slice(0, 5000), 'plan.json'))).toMatch(/^plan\.json: the JSON ends early \(truncated file or interrupted pipe\?\)/);
  });

  test('a state file instead of a plan', () => {
    const state = fs.readFileSync(`${__dirname}/fixtures/crafted-aws/terraform.tfstate`, 'utf8');
    expect(errorOf(() => parsePlan(state, 'terraform.tfstate'))).toBe(
      'terraform.tfstate: this is a Terraform state file (state version 4), not a plan; run `terraform plan -out=tfplan` then `terraform show -json tfplan`',
    );
  });

  test('terraform show -json of a state (no plan file)', () => {
    expect(errorOf(() => checkPlan({ format_version: '1.0', terraform_version: '1.11.4', values: { root_module: {} } }, 'x.json'))).toMatch(/^x\.json: this is the JSON of a state/);
  });

  test('an unknown major format version; known minors of 0.x and 1.x are accepted', () => {
    expect(errorOf(() => checkPlan({ format_version: '2.0', resource_changes: [] }, 'p'))).toBe(
      'p: not a usable plan:\n  - "format_version" "2.0" is not supported: this tool reads plan JSON format 0.x and 1.x; a new major version may change meanings, so upgrade mlflow-infra',
    );
    for (const v of ['0.1', '0.2', '1.0', '1.1', '1.2', '1.9']) expect(checkPlan({ format_version: v, resource_changes: [] }).format_version).toBe(v);
    for (const id of ['07', '09', '01', '03', '06']) expect(['0.1', '0.2', '1.0', '1.1', '1.2']).toContain(loadPlan(sharedPlan(id)).format_version);
  });

  test('all problems of a malformed plan are listed at once', () => {
    expect(errorOf(() => checkPlan({ format_version: 1, resource_changes: [{ change: {} }, {}], output_changes: [] }, 'p'))).toBe(
      'p: not a usable plan:\n  - "format_version" is 1; expected a string such as "1.2"\n  - "output_changes" must be an object\n  - resource_changes[0] has no "change.actions" array\n  - resource_changes[0]: "type", "name" must be strings\n  - resource_changes[1] has no "change.actions" array\n  - resource_changes[1]: "type", "name" must be strings',
    );
  });

  test('the shape of every part the review reads is checked, without printing values', () => {
    const rc = (extra: object, change: object = {}) => ({ address: 'a.b', type: 'a', name: 'b', ...extra, change: { actions: ['update'], ...change } });
    const plan = {
      format_version: '1.2',
      variables: { db_password: 'hunter2-secret' },
      resource_changes: [null, rc({ address: 7, mode: false }), rc({}, { replace_paths: ['name'] }), { type: 'a', change: { actions: ['create'] } }],
      resource_drift: [rc({ previous_address: [] })],
      output_changes: { url: null, name: { before: 'x' } },
      relevant_attributes: [null, { resource: 'a.b', attribute: 'name' }],
      planned_values: { outputs: { o: 'x' }, root_module: { resources: {}, child_modules: [{ resources: [null] }, 5] } },
      prior_state: { values: 'nope' },
      configuration: { root_module: { outputs: { o: null }, variables: { v: 1 }, module_calls: { m: { module: { outputs: [] } } } } },
    };
    const message = errorOf(() => checkPlan(plan, 'p'));
    expect(message.split('\n')).toEqual([
      'p: not a usable plan:',
      '  - resource_changes[0] is null; expected an object',
      '  - resource_changes[1]: "address", "mode" must be strings',
      '  - resource_changes[2]: "change.replace_paths" must be an array of paths (arrays)',
      '  - resource_changes[3]: "name" must be a string',
      '  - resource_drift[0]: "previous_address" must be a string',
      '  - output_changes["url"] has no "actions" array',
      '  - output_changes["name"] has no "actions" array',
      '  - relevant_attributes[0] is not a {"resource": string, "attribute": array} object',
      '  - relevant_attributes[1] is not a {"resource": string, "attribute": array} object',
      '  - planned_values.outputs["o"] is a string; expected an object',
      '  - "planned_values.root_module.resources" is an object; expected an array',
      '  - planned_values.root_module.child_modules[0].resources[0] is null; expected an object',
      '  - "planned_values.root_module.child_modules[1]" is a number; expected an object',
      '  - "prior_state.values" is a string; expected an object',
      '  - variables["db_password"] is a string; expected an object',
      '  - configuration.root_module.outputs["o"] is null; expected an object',
      '  - configuration.root_module.variables["v"] is a number; expected an object',
      '  - "configuration.root_module.module_calls["m"].module.outputs" is an array; expected an object',
    ]);
    expect(message).not.toContain('hunter2');
  });

  test('no change to any field of real plans makes the review fail with anything but a clear input error', () => {
    // Every path (6 levels deep, first 2 items of lists) of three plans, set to each odd value in turn.
    const odd: unknown[] = [null, 0, 'x', [], {}, true, [null], { a: null }];
    let tried = 0;
    const crashes: string[] = [];
    for (const file of [SYNTHETIC, CRAFTED, sharedPlan('08')]) {
      const text = fs.readFileSync(file, 'utf8');
      const paths: (string | number)[][] = [];
      const walk = (v: unknown, at: (string | number)[]): void => {
        if (at.length > 0) paths.push(at);
        if (at.length >= 6 || v === null || typeof v !== 'object') return;
        const entries: [string | number, unknown][] = Array.isArray(v) ? v.slice(0, 2).map((x, i) => [i, x]) : Object.entries(v as object);
        for (const [k, x] of entries) walk(x, [...at, k]);
      };
      walk(JSON.parse(text), []);
      for (const at of paths) {
        for (const value of odd) {
          const doc = JSON.parse(text);
          let parent = doc;
          for (const k of at.slice(0, -1)) parent = parent[k];
          parent[at[at.length - 1]] = value;
          tried += 1;
          try {
            const review = reviewPlan(checkPlan(doc), { refreshOnly: tried % 2 === 0 });
            for (const format of FORMATS) render(review, format);
          } catch (err) {
            if (!(err instanceof PlanInputError)) crashes.push(`${path.basename(file)} ${JSON.stringify(at)} = ${JSON.stringify(value)}: ${(err as Error).message}`);
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(5000);
    expect(crashes).toEqual([]);
  });

  test('empty input, the human-readable plan, and non-objects', () => {
    expect(errorOf(() => parsePlan('  \n', 'stdin'))).toBe('stdin: empty input; expected the output of `terraform show -json <planfile>`');
    expect(errorOf(() => parsePlan('Terraform will perform the following actions:\n', 'plan.txt'))).toMatch(/^plan\.txt: this is Terraform's human-readable plan output, not JSON/);
    expect(errorOf(() => parsePlan('[1,2]', 'a'))).toBe('a: expected a JSON object (terraform show -json output), got an array');
    expect(errorOf(() => parsePlan('{"hello": 1}', 'a'))).toMatch(/this does not look like `terraform show -json <planfile>` output/);
  });
});
