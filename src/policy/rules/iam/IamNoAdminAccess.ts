import { combine, defineRule, fail, pass } from '../../types';
import { strings } from '../../values';
import { checkAllowStatements, IDENTITY_POLICY_TYPES, sid } from './util';

const ADMIN_POLICIES = ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/IAMFullAccess'];

export const IamNoAdminAccess = defineRule({
  id: 'MLF-IAM-3',
  name: 'IamNoAdminAccess',
  severity: 'critical',
  controls: ['IAM-NO-ADMIN'],
  scanners: {
    checkov: ['CKV_AWS_62', 'CKV_AWS_63', 'CKV_AWS_274', 'CKV2_AWS_40', 'CKV2_AWS_56'],
    kics: ['2f37c4a3-58b9-4afe-8a87-d7f1d2286f84', '575a2155-6af1-4026-b1af-d5bc8fe2a904'],
    terrascan: ['AC_AWS_0144', 'AC_AWS_0147', 'AC_AWS_0146'],
  },
  resourceTypes: [...IDENTITY_POLICY_TYPES, 'aws_iam_role_policy_attachment', 'aws_iam_policy_attachment'],
  info: 'No Allow of "*" or "iam:*", and no AdministratorAccess/IAMFullAccess attachment.',
  explanation: 'Full admin or IAM rights turn any code execution in MLflow into account takeover.',
  evaluate(resource) {
    const attached = [...strings(resource.config.policy_arn), ...strings(resource.config.managed_policy_arns)].filter((a) => ADMIN_POLICIES.includes(a));
    const attachment = attached.length > 0 ? fail(`attaches ${attached.join(', ')}`) : pass();
    if (resource.type.endsWith('_attachment')) return attachment;
    const statements = checkAllowStatements(resource, (s, actions) => {
      const bad = actions.filter((a) => a === '*' || a.toLowerCase() === 'iam:*');
      return bad.length > 0 ? `${sid(s)} allows ${bad.join(', ')}` : undefined;
    });
    return combine([attachment, statements]);
  },
});
