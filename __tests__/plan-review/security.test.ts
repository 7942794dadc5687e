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
