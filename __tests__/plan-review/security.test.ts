/** IAM findings for managed policies attached by ARN, ranked with the rest (broadening first). */
import { checkPlan, reviewPlan, SecurityFinding, securityFinding, SENSITIVE } from '../../src/plan-review';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const POWER_USER = 'arn:aws:iam::aws:policy/PowerUserAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const CUSTOM = 'arn:aws:iam::123456789012:policy/mlflow-artifacts';

function change(address: string, actions: string[], before: unknown, after: unknown, afterUnknown: unknown = {}) {
  const [type, name] = address.split('.');
  return { address, type, name, change: { actions, before, after, after_unknown: afterUnknown, before_sensitive: {}, after_sensitive: {} } };
}

function findings(...changes: ReturnType<typeof change>[]): SecurityFinding[] {
  return [...reviewPlan(checkPlan({ format_version: '1.2', resource_changes: changes })).security];
}

const summary = (f: SecurityFinding) => [f.address, f.severity, f.high, f.details];

describe('managed policies attached by ARN', () => {
  test('adding AdministratorAccess to a role through managed_policy_arns broadens, ranked with the other broadening findings', () => {
    const role = change('aws_iam_role.r', ['update'], { name: 'r', managed_policy_arns: [READ_ONLY] }, { name: 'r', managed_policy_arns: [READ_ONLY, ADMIN] });
    const sg = change(
      'aws_security_group.s',
      ['update'],
      { ingress: [{ protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_blocks: ['10.0.0.0/8'] }] },
      { ingress: [{ protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_blocks: ['10.0.0.0/8'], ipv6_cidr_blocks: ['::/0'] }] },
    );
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
    const userPolicy = change('aws_iam_user_policy.u', ['delete'], { policy: deny }, null);
    const narrowing = change('aws_iam_role.narrowed', ['update'], { managed_policy_arns: [READ_ONLY, CUSTOM] }, { managed_policy_arns: [READ_ONLY] });
    expect(findings(userPolicy, narrowing, sg, role).map(summary)).toEqual([
      ['aws_iam_role.r', 'broadens', true, [`attaches ${ADMIN}`]],
      ['aws_security_group.s', 'broadens', true, ['adds ingress tcp/5432 from ::/0 (open to the internet)']],
      ['aws_iam_user_policy.u', 'broadens', false, ['no longer denies s3:* on *']],
      ['aws_iam_role.narrowed', 'narrows', false, [`detaches ${CUSTOM}`]],
    ]);
  });

  test('a narrow managed policy broadens without reaching everyone; broad ones are listed first', () => {
    expect(findings(change('aws_iam_role.r', ['update'], { managed_policy_arns: [] }, { managed_policy_arns: [CUSTOM, READ_ONLY] })).map(summary)).toEqual([
      ['aws_iam_role.r', 'broadens', false, [`attaches ${CUSTOM}`, `attaches ${READ_ONLY}`]],
    ]);
    expect(findings(change('aws_iam_role.r', ['update'], { managed_policy_arns: [READ_ONLY] }, { managed_policy_arns: [CUSTOM, POWER_USER] })).map(summary)).toEqual([
      ['aws_iam_role.r', 'broadens', true, [`attaches ${POWER_USER}`, `attaches ${CUSTOM}`, `detaches ${READ_ONLY}`]],
    ]);
  });

  test('a new role with managed policies; a new role whose managed_policy_arns is only computed is no finding', () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ecs-tasks.amazonaws.com' } }] });
    expect(findings(change('aws_iam_role.r', ['create'], null, { managed_policy_arns: ['arn:aws:iam::aws:policy/IAMFullAccess'] })).map(summary)).toEqual([
      ['aws_iam_role.r', 'broadens', true, ['attaches arn:aws:iam::aws:policy/IAMFullAccess']],
    ]);
    expect(findings(change('aws_iam_role.r', ['create'], null, { assume_role_policy: trust }, { managed_policy_arns: true })).map(summary)).toEqual([
      ['aws_iam_role.r', 'broadens', false, ['assume_role_policy: allows sts:AssumeRole on (this resource)', 'assume_role_policy: trusts principal Service:ecs-tasks.amazonaws.com']],
    ]);
  });

  test('managed policies known only after apply are a change to review, not silence', () => {
    expect(findings(change('aws_iam_role.r', ['update'], { managed_policy_arns: [READ_ONLY] }, { managed_policy_arns: null }, { managed_policy_arns: true })).map(summary)).toEqual([
      ['aws_iam_role.r', 'changes', false, ['attaches a policy known only after apply']],
    ]);
    expect(findings(change('aws_iam_role.r', ['update'], { managed_policy_arns: [] }, { managed_policy_arns: [CUSTOM, null] }, { managed_policy_arns: [false, true] })).map(summary)).toEqual([
      ['aws_iam_role.r', 'broadens', false, [`attaches ${CUSTOM}`, 'attaches a policy known only after apply']],
    ]);
  });

  test.each(['aws_iam_role_policy_attachments_exclusive', 'aws_iam_user_policy_attachments_exclusive', 'aws_iam_group_policy_attachments_exclusive'])('%s: policy_arns added broaden, removed narrow', (type) => {
    expect(findings(change(`${type}.x`, ['update'], { policy_arns: [READ_ONLY] }, { policy_arns: [READ_ONLY, ADMIN] })).map(summary)).toEqual([[`${type}.x`, 'broadens', true, [`attaches ${ADMIN}`]]]);
    expect(findings(change(`${type}.x`, ['update'], { policy_arns: [READ_ONLY, CUSTOM] }, { policy_arns: [READ_ONLY] })).map(summary)).toEqual([[`${type}.x`, 'narrows', false, [`detaches ${CUSTOM}`]]]);
  });

  test.each(['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment'])('%s: attach, detach, swap, unknown', (type) => {
    const at = (arn: string | null) => (arn === null ? null : { policy_arn: arn });
    expect(findings(change(`${type}.x`, ['create'], null, at(ADMIN))).map(summary)).toEqual([[`${type}.x`, 'broadens', true, [`attaches ${ADMIN}`]]]);
    expect(findings(change(`${type}.x`, ['delete'], at(CUSTOM), null)).map(summary)).toEqual([[`${type}.x`, 'narrows', false, [`detaches ${CUSTOM}`]]]);
    expect(findings(change(`${type}.x`, ['delete', 'create'], at(CUSTOM), at(READ_ONLY))).map(summary)).toEqual([[`${type}.x`, 'broadens', false, [`attaches ${READ_ONLY}`, `detaches ${CUSTOM}`]]]);
    expect(findings(change(`${type}.x`, ['create'], null, {}, { policy_arn: true })).map(summary)).toEqual([[`${type}.x`, 'changes', false, ['attaches a policy known only after apply']]]);
    expect(findings(change(`${type}.x`, ['update'], at(CUSTOM), at(CUSTOM))).map(summary)).toEqual([]);
  });

  test('a role gaining an inline permission and a managed policy: one finding with both facts', () => {
    const inline = (action: string) => [{ name: 'app', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: 'arn:aws:s3:::b/*' }] }) }];
    const f = findings(change('aws_iam_role.r', ['update'], { inline_policy: inline('s3:GetObject'), managed_policy_arns: [] }, { inline_policy: inline('s3:PutObject'), managed_policy_arns: [ADMIN] }));
    expect(f.map(summary)).toEqual([
      ['aws_iam_role.r', 'broadens', true, [`attaches ${ADMIN}`, 'inline_policy app: allows s3:PutObject on arn:aws:s3:::b/*', 'inline_policy app: no longer allows s3:GetObject on arn:aws:s3:::b/*']],
    ]);
  });

  test('a managed policy ARN holding a sensitive string is redacted in the finding', () => {
    const f = securityFinding({
      address: 'aws_iam_role.r',
      type: 'aws_iam_role',
      before: { managed_policy_arns: [] },
      after: { managed_policy_arns: [CUSTOM] },
      afterUnknown: {},
      sensitive: (t) => t.split('123456789012').join(SENSITIVE),
    });
    expect(f?.details).toEqual([`attaches arn:aws:iam::${SENSITIVE}:policy/mlflow-artifacts`]);
  });
});

/** The line a finding has for sensitive content (`names` hidden), as the review writes it. */
const hiddenLine = (names: string, inPart = false) =>
  `${names} is sensitive${inPart ? ' in part' : ''}: its content cannot be shown or compared; review it in the configuration`;

/** A resource change with masks, as Terraform writes it. */
function masked(address: string, actions: string[], before: unknown, after: unknown, beforeSensitive: unknown, afterSensitive: unknown) {
  const [type, name] = address.split('.');
  return { address, type, name, mode: 'managed', change: { actions, before, after, after_unknown: {}, before_sensitive: beforeSensitive, after_sensitive: afterSensitive } };
}

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string, resource: string) => ({ Effect: 'Allow', Action: action, Resource: resource });
const sensitiveFindings = (...changes: ReturnType<typeof masked>[]) => [...reviewPlan(checkPlan({ format_version: '1.2', resource_changes: changes })).security];

describe('sensitive values in IAM and security-group changes (never compared piecewise, never "narrows" because hidden)', () => {
  // The audit's plans themselves (findings, severity, nothing sensitive in any format) are in redaction.test.ts.
  test('created with sensitive contents: an open rule and an admin policy are called out as changes, ranked with the other findings', () => {
    const f = sensitiveFindings(
      masked('aws_iam_role_policy.narrowed', ['update'], { policy: doc(allow('s3:GetObject', '*'), allow('s3:PutObject', '*')) }, { policy: doc(allow('s3:GetObject', '*')) }, {}, {}),
      masked('aws_security_group_rule.ssh', ['create'], null, { type: 'ingress', protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] }, false, { cidr_blocks: true }),
      masked('aws_iam_role_policy.p', ['create'], null, { name: 'p', policy: doc(allow('*', '*')) }, false, { policy: true }),
      masked('aws_iam_role_policy.open', ['create'], null, { policy: doc(allow('s3:*', '*')) }, false, {}),
    );
    expect(f.map(summary)).toEqual([
      ['aws_iam_role_policy.open', 'broadens', true, ['allows s3:* on *']],
      ['aws_iam_role_policy.p', 'changes', false, [hiddenLine('policy')]],
      ['aws_security_group_rule.ssh', 'changes', false, [hiddenLine('cidr_blocks')]],
      ['aws_iam_role_policy.narrowed', 'narrows', false, ['no longer allows s3:PutObject on *']],
    ]);
  });

  test('nested masks in lists: the visible inline policy and rules are compared as usual, the sensitive ones only named', () => {
    const f = sensitiveFindings(
      masked(
        'aws_iam_role.r',
        ['update'],
        { inline_policy: [{ name: 'app', policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*')) }, { name: 'hidden', policy: doc(allow('*', '*')) }] },
        { inline_policy: [{ name: 'app', policy: doc(allow('s3:PutObject', 'arn:aws:s3:::b/*')) }, { name: 'hidden', policy: doc(allow('sqs:*', '*')) }] },
        { inline_policy: [{}, { policy: true }] },
        { inline_policy: [{}, { policy: true }] },
      ),
      masked(
        'aws_security_group.s',
        ['update'],
        { ingress: [{ protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['10.0.0.0/8'] }], egress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['10.1.0.0/16'] }] },
        {
          ingress: [
            { protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'] },
            { protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_blocks: ['192.168.7.7/32', '10.2.0.0/16'] },
          ],
          egress: [],
        },
        {},
        { ingress: [{}, { cidr_blocks: [true, false] }] },
      ),
    );
    expect(f.map(summary)).toEqual([
      ['aws_security_group.s', 'broadens', true, ['adds ingress tcp/443 from 0.0.0.0/0 (open to the internet)', hiddenLine('ingress', true), 'removes egress all traffic to 10.1.0.0/16']],
      ['aws_iam_role.r', 'broadens', false, ['inline_policy app: allows s3:PutObject on arn:aws:s3:::b/*', hiddenLine('inline_policy hidden'), 'inline_policy app: no longer allows s3:GetObject on arn:aws:s3:::b/*']],
    ]);
  });

  test('inline policy names that are sensitive hide every inline policy: none is compared by position', () => {
    const f = sensitiveFindings(
      masked(
        'aws_iam_role.r',
        ['update'],
        { inline_policy: [{ name: 'a', policy: doc(allow('s3:GetObject', '*')) }] },
        { inline_policy: [{ name: 'secret-name', policy: doc(allow('s3:GetObject', '*')) }, { name: 'a', policy: doc(allow('s3:ListBucket', '*')) }] },
        {},
        { inline_policy: [{ name: true }, {}] },
      ),
    );
    expect(f.map(summary)).toEqual([['aws_iam_role.r', 'changes', false, [hiddenLine('inline_policy')]]]);
  });

  test('sensitive on the before side only: what the new side shows counts as possibly added; nothing counts as removed', () => {
    const f = sensitiveFindings(
      masked('aws_iam_policy.p', ['update'], { policy: doc(allow('s3:*', '*')) }, { policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*')) }, { policy: true }, {}),
      masked(
        'aws_vpc_security_group_ingress_rule.r',
        ['update'],
        { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.0/8' },
        { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '10.3.0.0/16' },
        { cidr_ipv4: true },
        {},
      ),
    );
    expect(f.map(summary)).toEqual([
      // The new grant and source are shown: they are not sensitive, but they may have been there before.
      ['aws_iam_policy.p', 'broadens', false, ['policy: allows s3:GetObject on arn:aws:s3:::b/* (the previous document is sensitive)', hiddenLine('policy')]],
      ['aws_vpc_security_group_ingress_rule.r', 'broadens', false, ['adds ingress tcp/22 from 10.3.0.0/16', hiddenLine('cidr_ipv4')]],
    ]);
  });

  test('sensitive before, an admin grant after: the visible grant is a high-impact broadening, not hidden behind "changes"', () => {
    const f = sensitiveFindings(masked('aws_iam_policy.p', ['update'], { policy: doc(allow('s3:GetObject', 'arn:aws:s3:::b/*')) }, { policy: doc(allow('*', '*')) }, { policy: true }, {}));
    expect(f.map(summary)).toEqual([['aws_iam_policy.p', 'broadens', true, ['policy: allows * on * (the previous document is sensitive)', hiddenLine('policy')]]]);
  });

  test('sensitive on the after side only: removals of the visible old values are not claimed', () => {
    const CUSTOM_B = 'arn:aws:iam::123456789012:policy/other';
    const f = sensitiveFindings(
      masked('aws_iam_role.r', ['update'], { managed_policy_arns: [READ_ONLY, CUSTOM_B] }, { managed_policy_arns: [ADMIN, CUSTOM] }, {}, { managed_policy_arns: [true, false] }),
      masked('aws_iam_role_policy_attachment.a', ['update'], { policy_arn: READ_ONLY }, { policy_arn: ADMIN }, {}, { policy_arn: true }),
    );
    expect(f.map(summary)).toEqual([
      ['aws_iam_role.r', 'broadens', false, [`attaches ${CUSTOM}`, hiddenLine('managed_policy_arns', true)]],
      ['aws_iam_role_policy_attachment.a', 'changes', false, [hiddenLine('policy_arn')]],
    ]);
  });

  test('a created role: a sensitive trust policy is named, the visible managed policies still analysed', () => {
    const trust = doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '*' } });
    const f = sensitiveFindings(masked('aws_iam_role.r', ['create'], null, { name: 'r', assume_role_policy: trust, managed_policy_arns: [ADMIN] }, false, { assume_role_policy: true }));
    expect(f.map(summary)).toEqual([['aws_iam_role.r', 'broadens', true, [`attaches ${ADMIN}`, hiddenLine('assume_role_policy')]]]);
  });

  test('a deleted policy that was sensitive is named (it may have held a Deny), not reported as narrowing', () => {
    const f = sensitiveFindings(masked('aws_iam_user_policy.u', ['delete'], { policy: doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' }) }, null, { policy: true }, false));
    expect(f.map(summary)).toEqual([['aws_iam_user_policy.u', 'changes', false, [hiddenLine('policy')]]]);
  });

  test('a sensitive attribute that is not about access (a rule description) changes nothing in the finding', () => {
    const block = (cidr: string) => ({ protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: [cidr], description: 'secret description' });
    const f = sensitiveFindings(masked('aws_security_group.s', ['update'], { ingress: [block('10.0.0.0/8')] }, { ingress: [block('10.4.0.0/16')] }, { ingress: [{ description: true }] }, { ingress: [{ description: true }] }));
    expect(f.map(summary)).toEqual([['aws_security_group.s', 'broadens', false, ['adds ingress tcp/443 from 10.4.0.0/16', 'removes ingress tcp/443 from 10.0.0.0/8']]]);
  });

  test('security-group lines go through the redactor like IAM lines', () => {
    const f = securityFinding({
      address: 'aws_security_group.s',
      type: 'aws_security_group',
      before: { ingress: [] },
      after: { ingress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['10.9.8.7/32'], security_groups: ['sg-SECRETID'] }] },
      afterUnknown: {},
      sensitive: (t) => t.split('10.9.8.7/32').join(SENSITIVE).split('sg-SECRETID').join(SENSITIVE),
    });
    expect(f?.details).toEqual([`adds ingress tcp/22 from ${SENSITIVE}`, `adds ingress tcp/22 from security group ${SENSITIVE}`]);
  });
});

describe('resource policies outside IAM', () => {
  test('an OpenSearch domain whose access_policies opens to every principal broadens', () => {
    const doc = (principal: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'es:*', Resource: 'arn:aws:es:us-east-1:123456789012:domain/d/*' }] });
    const domain = change('aws_opensearch_domain.d', ['update'], { access_policies: doc({ AWS: 'arn:aws:iam::123456789012:role/app' }) }, { access_policies: doc('*') });
    const [f] = findings(domain);
    expect(f).toMatchObject({ address: 'aws_opensearch_domain.d', severity: 'broadens', high: true });
    expect(f.details).toEqual(['access_policies: trusts principal *', 'access_policies: no longer trusts AWS:arn:aws:iam::123456789012:role/app']);
  });
});
