import { defineRule } from '../../types';
import { actionMatches } from '../../values';
import { checkAllowStatements, IDENTITY_POLICY_TYPES, sid } from './util';

/** IAM actions that let a principal grant itself more (cloudsplaining / KICS privilege-escalation family). */
export const ESCALATION_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:UpdateAssumeRolePolicy',
  'iam:AddUserToGroup',
  'iam:PassRole',
];

export const IamNoPrivilegeEscalation = defineRule({
  id: 'MLF-IAM-6',
  name: 'IamNoPrivilegeEscalation',
  severity: 'high',
  controls: ['IAM-PRIVESC-FAMILY', 'IAM-PASSROLE'],
  scanners: {
    checkov: ['CKV_AWS_286'],
    trivy: ['AVD-AWS-0342'],
    kics: ['eda48c88-2b7d-4e34-b6ca-04c0194aee17 (and 18 more privilege-escalation queries)', 'e39bee8c-fe54-4a3f-824d-e5e2d1cca40a'],
    terrascan: ['AC_AWS_0473'],
  },
  resourceTypes: IDENTITY_POLICY_TYPES,
  info: 'No Allow of IAM actions that escalate privileges (Attach*/Put*Policy, CreatePolicyVersion, CreateAccessKey, PassRole, ...).',
  explanation: 'The runtime roles need none of them; a deploy role that needs iam:PassRole must scope it to the task roles and be suppressed with that reason.',
  evaluate(resource) {
    return checkAllowStatements(resource, (s, actions) => {
      const bad = ESCALATION_ACTIONS.filter((e) => actions.some((a) => actionMatches(a, e)));
      return bad.length > 0 ? `${sid(s)} allows ${bad.join(', ')}` : undefined;
    });
  },
});
