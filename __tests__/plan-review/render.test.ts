/** The three formats: colour rules, Markdown size bound and truncation notice, JSON schema. */
import { checkPlan, GITHUB_COMMENT_LIMIT, JSON_SCHEMA, render, renderJson, renderMarkdown, renderText, reviewPlan, useColour } from '../../src/plan-review';
import { allPlanFiles, CRAFTED, loadPlan, sharedPlan, SYNTHETIC } from './helpers';

const ESC = '\x1b[';

test('colour only on a TTY and only without NO_COLOR', () => {
  expect(useColour(true, {})).toBe(true);
  expect(useColour(false, {})).toBe(false);
  expect(useColour(true, { NO_COLOR: '1' })).toBe(false);
  const review = reviewPlan(loadPlan(CRAFTED));
  expect(renderText(review, { colour: true })).toContain(ESC);
  expect(renderText(review, { colour: false })).not.toContain(ESC);
});

test('text: blocked before warnings before security before the destroy group', () => {
  const text = renderText(reviewPlan(loadPlan(SYNTHETIC)));
  const order = ['BLOCKED', 'WARNINGS', 'IAM and security-group changes', 'Destroy (1)', 'Replace (1)', 'Update in place (4)', 'Create (2)', 'Changed outside Terraform (6)', 'Outputs (2)'].map((h) => text.indexOf(h));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(text).toContain('Plan: 2 to import, 2 to create, 4 to update, 1 to replace, 1 to destroy, 1 to read, 2 output changes; drift: 6 outside Terraform (1 deleted, 1 noise)');
});

test('markdown: collapsible groups, open verdict, fenced diffs', () => {
  const md = renderMarkdown(reviewPlan(loadPlan(CRAFTED)), { title: 'mlflow-staging' });
  expect(md.startsWith('### mlflow-staging\n\n:no_entry: **Blocked**: 7 to create, 3 to update, 1 to replace, 1 to destroy, 1 to forget, 1 moved, 2 output changes')).toBe(true);
  expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  expect(md).toContain('<details><summary>Update in place (3)</summary>');
  expect(md).toContain('```diff\n~ retention_in_days: 30 -> 365\n```');
  expect(md).not.toContain('Truncated');
});

test('markdown: every resource bullet shows its action symbol in a code span, for every kind', () => {
  const lines = [CRAFTED, SYNTHETIC, sharedPlan('02')].flatMap((f) => renderMarkdown(reviewPlan(loadPlan(f))).split('\n'));
  const symbols = new Set(lines.map((l) => /^- `([^`]+)` `/.exec(l)?.[1]).filter((x) => x !== undefined));
  // delete, replace, update, create, forget, read, import across these plans (move needs a no-op move: below)
  expect([...symbols].sort()).toEqual(['+', '-', '-/+', '.', '<-', '<=', '~']);
  expect(lines).toContain('- `-` `aws_instance.test` (delete_because_no_resource_config)');
  expect(lines).toContain('- `+` `aws_route_table.public-route`');
  expect(lines).toContain('- `-/+` `aws_security_group.admin` (destroy then create; replace_because_cannot_update; replace paths: description)');
  expect(lines).toContain('- `<=` `data.aws_iam_policy_document.assume` (read_because_dependency_pending)');
  const moved = checkPlan({ format_version: '1.2', resource_changes: [{ address: 'aws_s3_bucket.new', previous_address: 'aws_s3_bucket.old', type: 'aws_s3_bucket', name: 'new', change: { actions: ['no-op'], before: {}, after: {} } }] });
  expect(renderMarkdown(reviewPlan(moved))).toContain('\n- `->` `aws_s3_bucket.new` (moved from aws_s3_bucket.old)\n');
});

test('markdown: no bullet starts with another list marker (GitHub would render an empty nested bullet)', () => {
  for (const file of allPlanFiles()) {
    const nested = renderMarkdown(reviewPlan(loadPlan(file)))
      .split('\n')
      .filter((l) => /^\s*- ([-+*]|\d+[.)])( |$)/.test(l));
    expect({ file: file.split('/').pop(), nested }).toEqual({ file: file.split('/').pop(), nested: [] });
  }
});

function bigPlan(n: number) {
  return checkPlan({
    format_version: '1.2',
    resource_changes: Array.from({ length: n }, (_, i) => ({
      address: `aws_ssm_parameter.p${i}`,
      type: 'aws_ssm_parameter',
      name: `p${i}`,
      change: { actions: ['update'], before: { description: 'x'.repeat(40), n: i }, after: { description: 'y'.repeat(40), n: i + 1 } },
    })),
  });
}

test('markdown stays within the GitHub comment limit and says plainly that it truncated', () => {
  const review = reviewPlan(bigPlan(3000));
  const md = renderMarkdown(review);
  expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
  expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  const shown = md.match(/^- `~` `aws_ssm_parameter/gm)?.length ?? 0;
  // Exactly as many as fit: each item line is the same length here, so the count is fixed by the limit.
  expect(shown).toBe(387);
  expect(md).toContain(`**Truncated:** ${3000 - shown} more item(s) are not shown because a GitHub comment is limited to 65,536 characters.`);
  const small = renderMarkdown(review, { maxChars: 5000 });
  expect(small.length).toBeLessThanOrEqual(5000);
  expect(small).toContain('**Truncated:**');
});

test('markdown escapes HTML and fences around backticks in values', () => {
  const plan = checkPlan({
    format_version: '1.2',
    resource_changes: [{ address: 'aws_ssm_parameter.p', type: 'aws_ssm_parameter', name: 'p', change: { actions: ['update'], before: { v: '<b>```</b>' }, after: { v: 'ok' } } }],
  });
  const md = renderMarkdown(reviewPlan(plan));
  expect(md).toContain('````diff\n~ v: "<b>```</b>" -> "ok"\n````');
});

test('json: stable schema, absent values as null', () => {
  const json = JSON.parse(renderJson(reviewPlan(loadPlan(SYNTHETIC))));
  expect(Object.keys(json)).toEqual(['schema', 'status', 'exitCode', 'terraformVersion', 'formatVersion', 'refreshOnly', 'errored', 'summary', 'terraformCount', 'blocked', 'allowed', 'warnings', 'driftSecurity', 'security', 'resources', 'drift', 'outputs']);
  expect(json.schema).toBe(JSON_SCHEMA);
  expect(json).toMatchObject({ status: 'blocked', exitCode: 3, terraformVersion: '1.11.4', formatVersion: '1.2' });
  expect(Object.keys(json.resources[0])).toEqual(['address', 'previousAddress', 'type', 'mode', 'kind', 'actions', 'actionReason', 'deposed', 'imported', 'importId', 'stateful', 'replacePaths', 'attributes']);
  expect(json.resources.find((r: { address: string }) => r.address === 'aws_vpc_security_group_ingress_rule.ssh')).toMatchObject({ previousAddress: null, kind: 'create', attributes: [] });
  expect(Object.keys(json.drift[0])).toEqual(['address', 'addressReconstructed', 'type', 'action', 'classification', 'reason', 'stateful', 'attributes']);
  expect(json.outputs).toEqual([
    { name: 'conn', action: 'update', before: '(sensitive value)', after: '(sensitive value)' },
    { name: 'token', action: 'create', before: null, after: '(sensitive value)' },
  ]);
});

test('markdown: text keeps *, backquotes, ~, [ ], backslashes and word-edge underscores literal (GitHub renders them as written)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const commonmark = require('commonmark') as { Parser: new () => { parse(t: string): unknown }; HtmlRenderer: new () => { render(n: unknown): string } };
  const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  const plan = checkPlan({
    format_version: '1.2',
    resource_changes: [
      {
        address: 'aws_iam_policy.p',
        type: 'aws_iam_policy',
        name: 'p',
        action_reason: 'replace_because_cannot_update',
        change: {
          actions: ['update'],
          before: { policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/x' }) },
          after: { policy: doc({ Effect: 'Allow', Action: ['s3:*Object', 'iam:*AccessKey*'], Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::_tmp_/[a]\\`~x`'] }) },
        },
      },
    ],
  });
  const md = render(reviewPlan(plan), 'markdown');
  const htmlOut = new commonmark.HtmlRenderer().render(new commonmark.Parser().parse(md));
  const text = htmlOut.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  expect(htmlOut).not.toMatch(/<em>|<strong>[^<]*Object|<del>|<a /);
  expect(text).toContain('allows s3:*Object on arn:aws:s3:::b/*');
  expect(text).toContain('allows iam:*AccessKey* on arn:aws:s3:::_tmp_/[a]\\`~x`');
  expect(md).toContain('aws_iam_policy.p');
});

test('findings that broaden with high impact say so, not "to everyone" (a wildcard action is not a public principal)', () => {
  const text = renderText(reviewPlan(loadPlan(CRAFTED)));
  expect(text).toContain('BROADENS (high impact) IAM: aws_iam_policy.app');
  expect(text).toContain('BROADENS IAM: aws_iam_role_policy_attachment.app');
  expect(text).not.toContain('to everyone');
});

test('IAM/security-group drift is listed first in every format, with what the plan does about it', () => {
  const rule = (cidr: string, port: number) => ({ from_port: port, to_port: port, protocol: 'tcp', cidr_blocks: [cidr], security_groups: [], self: false });
  const plan = checkPlan({
    format_version: '1.2',
    resource_changes: [
      { address: 'aws_security_group.alb', type: 'aws_security_group', name: 'alb', change: { actions: ['update'], before: { ingress: [rule('10.0.0.0/8', 443)] }, after: { ingress: [rule('10.0.0.0/8', 443), rule('10.1.0.0/16', 80)] } } },
    ],
    resource_drift: [
      { address: 'aws_cloudwatch_log_group.app', type: 'aws_cloudwatch_log_group', name: 'app', change: { actions: ['update'], before: { retention_in_days: 30 }, after: { retention_in_days: 1 } } },
      { address: 'aws_security_group.tasks', type: 'aws_security_group', name: 'tasks', change: { actions: ['update'], before: { ingress: [] }, after: { ingress: [rule('0.0.0.0/0', 22)] } } },
    ],
  });
  const review = reviewPlan(plan);
  const text = renderText(review);
  const head = 'BROADENS (high impact) security group: aws_security_group.tasks (not changed back by this plan)';
  expect(text).toContain(`IAM and security-group changes made OUTSIDE Terraform (broadening first)\n  ${head}\n      adds ingress tcp/22 from 0.0.0.0/0 (open to the internet)\n`);
  const order = ['OUTSIDE Terraform (broadening first)', 'IAM and security-group changes (broadening first)', 'Update in place (1)', 'Changed outside Terraform (2)'].map((h) => text.indexOf(h));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);

  const md = renderMarkdown(review);
  const mdOrder = [':rotating_light: IAM and security-group changes made OUTSIDE Terraform', ':lock: IAM and security-group changes', '<details>'].map((h) => md.indexOf(h));
  expect(mdOrder.every((i) => i >= 0)).toBe(true);
  expect([...mdOrder].sort((a, b) => a - b)).toEqual(mdOrder);
  // Open, not collapsed with the drift groups.
  expect(md.slice(0, md.indexOf('<details>'))).toContain('- **BROADENS (high impact) security group** `aws_security_group.tasks` (not changed back by this plan)\n  - adds ingress tcp/22 from 0.0.0.0/0 (open to the internet)\n');

  const json = JSON.parse(renderJson(review));
  const keys = Object.keys(json);
  expect(keys.indexOf('driftSecurity')).toBeLessThan(keys.indexOf('security'));
  expect(keys.indexOf('security')).toBeLessThan(keys.indexOf('drift'));
  expect(json.driftSecurity).toEqual([
    { address: 'aws_security_group.tasks', category: 'security-group', severity: 'broadens', high: true, details: ['adds ingress tcp/22 from 0.0.0.0/0 (open to the internet)'], classification: 'absorbed' },
  ]);
});
