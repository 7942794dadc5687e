/**
 * Redaction of secrets that JSON encoding changes (quotes, backslashes, control characters,
 * non-ASCII, HTML-special characters): neither the secret nor any JSON spelling of it may appear in
 * any format, wherever the plan copies it (leaves, objects and lists shown whole, map keys, JSON
 * documents inside string attributes, security findings, drift, outputs).
 */
import { main } from '../../src/cli/main';
import { checkPlan, deepEqual, FORMATS, jsonSpellings, Redactor, render, reviewPlan, SENSITIVE, UNKNOWN } from '../../src/plan-review';
import { captureIo } from './helpers';

/**
 * Each secret with its spellings written out by hand (independent of the code under test): inside
 * a JSON string as JavaScript writes it, as Go (Terraform's jsonencode) writes it (`go`), all-ASCII,
 * and each escaped twice.
 */
const CASES: readonly { readonly name: string; readonly secret: string; readonly go: string; readonly spellings: readonly string[] }[] = [
  { name: 'quote and backslash', secret: 'pa"ss\\word-42', go: 'pa\\"ss\\\\word-42', spellings: ['pa\\\\\\"ss\\\\\\\\word-42'] },
  { name: 'newline and tab', secret: 'multi\nline\tsecret-7', go: 'multi\\nline\\tsecret-7', spellings: ['multi\\\\nline\\\\tsecret-7'] },
  {
    name: 'non-ASCII and astral',
    secret: 'ünï€-sécret-🔑',
    go: 'ünï€-sécret-🔑',
    spellings: ['\\u00fcn\\u00ef\\u20ac-s\\u00e9cret-\\ud83d\\udd11', '\\\\u00fcn\\\\u00ef\\\\u20ac-s\\\\u00e9cret-\\\\ud83d\\\\udd11'],
  },
  {
    name: 'HTML-special characters (Go escapes them)',
    secret: '<tag>&secret-9',
    go: '\\u003ctag\\u003e\\u0026secret-9',
    spellings: ['\\\\u003ctag\\\\u003e\\\\u0026secret-9'],
  },
  {
    name: 'control characters and U+2028',
    secret: 'ctl\u0001\bsec\u2028ret',
    // JavaScript writes \b and leaves U+2028 as is; Go writes \u0008 and \u2028.
    go: 'ctl\\u0001\\u0008sec\\u2028ret',
    spellings: ['ctl\\u0001\\bsec\u2028ret', 'ctl\\\\u0001\\\\bsec\u2028ret', 'ctl\\\\u0001\\\\u0008sec\\\\u2028ret'],
  },
];

/** Every spelling of a case's secret other than the secret itself. */
const spellingsOf = (c: (typeof CASES)[number]) => [...new Set([c.go, ...c.spellings])].filter((s) => s !== c.secret);

/** A plan that copies `secret` everywhere a reviewer could see it; `viaVariable` decides where the plan marks it sensitive. */
function planWith(secret: string, goForm: string, viaVariable: boolean) {
  const policy = (resource: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }] });
  return checkPlan({
    format_version: '1.2',
    terraform_version: '1.11.4',
    variables: viaVariable ? { db_password: { value: secret } } : {},
    configuration: { root_module: { variables: viaVariable ? { db_password: { sensitive: true } } : {} } },
    resource_changes: [
      {
        address: 'aws_db_instance.d',
        type: 'aws_db_instance',
        name: 'd',
        change: { actions: ['create'], before: null, after: { password: secret }, after_unknown: {}, before_sensitive: false, after_sensitive: viaVariable ? {} : { password: true } },
      },
      {
        address: 'aws_ecs_task_definition.t',
        type: 'aws_ecs_task_definition',
        name: 't',
        change: {
          actions: ['update'],
          before: { env: { A: 'x' }, labels: {}, memory: 1 },
          after: {
            env: { A: 'x', PW: secret },
            nested: { deep: { k: secret, list: [secret, 'visible-item'] } },
            args: ['--password', secret],
            labels: { [secret]: 'v' },
            // A document inside a string, written by Terraform's jsonencode (Go escaping), shown whole.
            container_definitions: `[{"environment":[{"name":"PW","value":"${goForm}"}]}]`,
            memory: 2,
          },
          after_unknown: {},
          before_sensitive: {},
          after_sensitive: {},
        },
      },
      {
        address: 'aws_ssm_parameter.p',
        type: 'aws_ssm_parameter',
        name: 'p',
        change: { actions: ['update'], before: { tags: { n: 'a' } }, after: { tags: { n: `conn=${secret};` } }, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
      },
      {
        address: 'aws_iam_policy.app',
        type: 'aws_iam_policy',
        name: 'app',
        change: {
          actions: ['update'],
          before: { policy: policy('arn:aws:s3:::bucket/public/*') },
          after: { policy: policy(`arn:aws:s3:::bucket/${secret}/*`) },
          after_unknown: {},
          before_sensitive: {},
          after_sensitive: {},
        },
      },
    ],
    resource_drift: [
      {
        address: 'aws_ssm_parameter.drifted',
        type: 'aws_ssm_parameter',
        name: 'drifted',
        change: { actions: ['update'], before: { description: 'old', list: [] }, after: { description: `now ${secret}`, list: [{ v: secret }] }, before_sensitive: {}, after_sensitive: {} },
      },
    ],
    output_changes: {
      o: { actions: ['create'], before: null, after: { k: secret, list: [secret], [secret]: 1 }, after_unknown: false, before_sensitive: false, after_sensitive: false },
      s: { actions: ['update'], before: 'plain', after: secret, after_unknown: false, before_sensitive: false, after_sensitive: false },
    },
  });
}

function leaks(output: string, secret: string, spellings: readonly string[]): string[] {
  return [secret, ...spellings].filter((form) => output.includes(form));
}

describe.each(CASES)('a secret with $name', (c) => {
  test.each([true, false])('is in no format, by value or by any JSON spelling (marked sensitive by a variable: %s)', (viaVariable) => {
    const review = reviewPlan(planWith(c.secret, c.go, viaVariable));
    for (const format of FORMATS) {
      for (const colour of [false, true]) {
        const out = render(review, format, { colour });
        expect({ format, colour, leaked: leaks(out, c.secret, spellingsOf(c)) }).toEqual({ format, colour, leaked: [] });
      }
    }
    // The JSON format once decoded: no string in it holds the secret or a spelling either.
    const strings: string[] = [];
    JSON.stringify(JSON.parse(render(review, 'json')), (k, v) => (strings.push(k), typeof v === 'string' && strings.push(v), v));
    expect(strings.filter((s) => leaks(s, c.secret, spellingsOf(c)).length > 0)).toEqual([]);
  });

  test('is replaced where it was, and only there', () => {
    const review = reviewPlan(planWith(c.secret, c.go, true));
    const text = render(review, 'text');
    expect(text).toContain(`+ env.PW = ${SENSITIVE}\n`);
    expect(text).toContain(`+ nested = {"deep":{"k":"${SENSITIVE}","list":["${SENSITIVE}","visible-item"]}}\n`);
    expect(text).toContain(`+ args = ["--password","${SENSITIVE}"]\n`);
    expect(text).toContain(`+ labels["${SENSITIVE}"] = "v"\n`);
    expect(text).toContain(`+ container_definitions = "[{\\"environment\\":[{\\"name\\":\\"PW\\",\\"value\\":\\"${SENSITIVE}\\"}]}]"\n`);
    expect(text).toContain(`~ tags.n: "a" -> "conn=${SENSITIVE};"\n`);
    expect(text).toContain(`allows s3:GetObject on arn:aws:s3:::bucket/${SENSITIVE}/*\n`);
    expect(text).toContain(`+ o = {"k":"${SENSITIVE}","list":["${SENSITIVE}"],"${SENSITIVE}":1}\n`);
    expect(text).toContain(`~ s: "plain" -> ${SENSITIVE}\n`);
    expect(text).toContain(`~ description: "old" -> "now ${SENSITIVE}"\n`);
  });

  test('is redacted the same way through the CLI (file parser), in every format', async () => {
    const bytes = Buffer.from(JSON.stringify(planWith(c.secret, c.go, true)));
    for (const format of FORMATS) {
      const io = captureIo({ readStdin: async () => bytes });
      const code = await main(['review-plan', '-', '--format', format], io);
      const out = io.out.join('') + io.err.join('');
      expect({ format, code, leaked: leaks(out, c.secret, spellingsOf(c)) }).toEqual({ format, code: 2, leaked: [] });
      expect(out).toContain(SENSITIVE);
    }
  });
});

test('the spellings a redactor knows match those written by hand', () => {
  for (const c of CASES) for (const s of spellingsOf(c)) expect({ secret: c.secret, spelling: s, known: jsonSpellings(c.secret).includes(s) }).toMatchObject({ known: true });
  expect(jsonSpellings('plain-secret')).toEqual([]);
});

test('a short secret and its spellings are only replaced whole', () => {
  const r = new Redactor();
  r.addAll('a"b');
  expect(r.secretCount).toBe(1);
  expect(r.scrub('a"b')).toBe(SENSITIVE);
  expect(r.scrub('a\\"b')).toBe(SENSITIVE);
  expect(r.scrub('xa"by')).toBe('xa"by');
  expect(r.display({ k: 'a"b', other: 'xa"by' }, undefined, undefined)).toBe(`{"k":"${SENSITIVE}","other":"xa\\"by"}`);
});

test('a short secret (below substring scrubbing) used as a map key is replaced as a key, at any depth', () => {
  const r = new Redactor();
  r.addAll('Zq7');
  expect(r.display({ Zq7: 1, nested: { Zq7: 'v', other: ['Zq7'] } }, undefined, undefined)).toBe(
    `{"${SENSITIVE}":1,"nested":{"${SENSITIVE}":"v","other":["${SENSITIVE}"]}}`,
  );
  // Through a review: an output shown whole whose only copy of the secret is a key.
  const review = reviewPlan(
    checkPlan({
      format_version: '1.2',
      terraform_version: '1.11.4',
      resource_changes: [
        { address: 'aws_db_instance.d', type: 'aws_db_instance', name: 'd', change: { actions: ['create'], before: null, after: { password: 'Zq7' }, after_unknown: {}, before_sensitive: false, after_sensitive: { password: true } } },
      ],
      output_changes: { o: { actions: ['create'], before: null, after: { Zq7: 1 }, after_unknown: false, before_sensitive: false, after_sensitive: false } },
    }),
  );
  for (const format of FORMATS) expect({ format, leaked: render(review, format).includes('Zq7') }).toEqual({ format, leaked: false });
});

test('a key the unknown mask adds (known after apply, absent from the value) is shown as unknown; others are not invented', () => {
  const r = new Redactor();
  expect(r.display({ a: 1 }, undefined, { b: true, c: false })).toBe(`{"a":1,"b":"${UNKNOWN}"}`);
  r.addAll('s3cret-value');
  expect(r.display({ a: 's3cret-value' }, undefined, { b: true, c: false })).toBe(`{"a":"${SENSITIVE}","b":"${UNKNOWN}"}`);
});

test('deepEqual: equal arrays and objects are equal; a different length or key set is not', () => {
  expect(deepEqual([1, [2, { a: 3 }]], [1, [2, { a: 3 }]])).toBe(true);
  expect(deepEqual([1, 2], [1, 2, 3])).toBe(false);
  expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  expect(deepEqual([1], { 0: 1 })).toBe(false);
});

test('a number marked sensitive is replaced inside an object shown whole', () => {
  const r = new Redactor();
  r.addAll(31337);
  expect(r.display({ port: 31337, other: 80 }, undefined, undefined)).toBe(`{"port":"${SENSITIVE}","other":80}`);
});

/**
 * The audit's plans (IAM and security-group changes whose sensitive parts used to be parsed, compared
 * and printed): each with the findings it must give and what must appear nowhere, in any format:
 * pieces of its sensitive values, and the wrong claims (removals, narrowing) the hiding used to cause.
 */
describe('sensitive policies and rules in security findings', () => {
  const SG_HIDDEN = 'ingress is sensitive: its content cannot be shown or compared; review it in the configuration';
  const POLICY_HIDDEN = 'policy is sensitive: its content cannot be shown or compared; review it in the configuration';
  const policy = (action: string, resource: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
  const rc = (address: string, actions: string[], before: unknown, after: unknown, beforeSensitive: unknown, afterSensitive: unknown) => {
    const [type, name] = address.split('.');
    return { address, mode: 'managed', type, name, change: { actions, before, after, before_sensitive: beforeSensitive, after_sensitive: afterSensitive, after_unknown: {} } };
  };
  const sg = (cidrs: string[]) => ({ ingress: [{ protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_blocks: cidrs }] });
  const PLANS = [
    {
      name: 'sgnarrow (ingress gains 0.0.0.0/0, new ingress sensitive)',
      changes: [rc('aws_security_group.db', ['update'], sg(['10.0.0.0/8']), sg(['10.0.0.0/8', '0.0.0.0/0']), {}, { ingress: true })],
      findings: [{ address: 'aws_security_group.db', severity: 'changes', details: [SG_HIDDEN] }],
      absent: ['0.0.0.0/0', '10.0.0.0/8', 'removes', 'narrows'],
    },
    {
      name: 'iamnarrow (policy goes to Action "*" on "*", new policy sensitive)',
      changes: [rc('aws_iam_role_policy.p', ['update'], { name: 'p', policy: policy('s3:GetObject', 'arn:aws:s3:::b/*') }, { name: 'p', policy: policy('*', '*') }, {}, { policy: true })],
      findings: [{ address: 'aws_iam_role_policy.p', severity: 'changes', details: [POLICY_HIDDEN] }],
      absent: ['\\"Action\\":\\"*\\"', '* on *', 'no longer allows', 'narrows'],
    },
    {
      name: 'inline (inline policy and rule parts sensitive at depth)',
      changes: [
        rc(
          'aws_iam_role.r',
          ['update'],
          { name: 'r', inline_policy: [{ name: 'p', policy: '{"Version":"2012-10-17","Statement":[]}' }] },
          { name: 'r', inline_policy: [{ name: 'p', policy: policy('s3:GetObject', 'arn:aws:s3:::TOPSECRET-bucket-name/*') }] },
          { inline_policy: [{ policy: true }] },
          { inline_policy: [{ policy: true }] },
        ),
        rc(
          'aws_security_group.sg',
          ['update'],
          { ingress: [] },
          { ingress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['10.9.8.7/32'], security_groups: ['sg-SECRETID'] }] },
          { ingress: [] },
          { ingress: [{ cidr_blocks: [true], from_port: true, security_groups: true }] },
        ),
      ],
      findings: [
        { address: 'aws_iam_role.r', severity: 'changes', details: ['inline_policy p is sensitive: its content cannot be shown or compared; review it in the configuration'] },
        { address: 'aws_security_group.sg', severity: 'changes', details: ['ingress is sensitive in part: its content cannot be shown or compared; review it in the configuration'] },
      ],
      absent: ['TOPSECRET', 'SECRETID', '10.9.8.7', 's3:GetObject'],
    },
    {
      name: 'sgrule (created open rule and admin policy, sensitive)',
      changes: [
        rc('aws_security_group_rule.ssh', ['create'], null, { type: 'ingress', protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] }, false, { cidr_blocks: true }),
        rc('aws_iam_role_policy.p', ['create'], null, { name: 'p', policy: policy('*', '*') }, false, { policy: true }),
      ],
      findings: [
        { address: 'aws_iam_role_policy.p', severity: 'changes', details: [POLICY_HIDDEN] },
        { address: 'aws_security_group_rule.ssh', severity: 'changes', details: ['cidr_blocks is sensitive: its content cannot be shown or compared; review it in the configuration'] },
      ],
      absent: ['0.0.0.0/0', '\\"Action\\":\\"*\\"', '* on *'],
    },
  ];

  test.each(PLANS)('$name: exact findings, and no sensitive piece in any format (through the CLI)', async ({ changes, findings, absent }) => {
    const plan = { format_version: '1.2', terraform_version: '1.11.4', resource_changes: changes };
    for (const format of FORMATS) {
      const io = captureIo({ readStdin: async () => Buffer.from(JSON.stringify(plan)) });
      const code = await main(['review-plan', '-', '--format', format], io);
      const out = io.out.join('') + io.err.join('');
      // JSON escapes quotes once more: look for each piece as written and as JSON would write it.
      const leaked = absent.filter((piece) => out.includes(piece) || out.includes(JSON.stringify(piece).slice(1, -1)));
      expect({ format, code, leaked }).toEqual({ format, code: 2, leaked: [] });
      for (const f of findings) for (const d of f.details) expect(out).toContain(format === 'json' ? JSON.stringify(d) : d);
      expect(out.toLowerCase()).not.toContain('narrows');
    }
    expect(reviewPlan(checkPlan(plan)).security.map(({ address, severity, details }) => ({ address, severity, details }))).toEqual(findings);
  });
});
