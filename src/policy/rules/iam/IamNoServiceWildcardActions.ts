import { defineRule } from '../../types';
import { checkAllowStatements, IDENTITY_POLICY_TYPES, sid } from './util';

export const IamNoServiceWildcardActions = defineRule({
  id: 'MLF-IAM-5',
  name: 'IamNoServiceWildcardActions',
  severity: 'high',
  controls: ['IAM-LEAST-PRIVILEGE'],
  scanners: { trivy: ['AVD-AWS-0345', 'AVD-AWS-0057'] },
  resourceTypes: IDENTITY_POLICY_TYPES,
  info: 'No Allow of a whole service ("s3:*", "kms:*", ...), whatever the resource.',
  explanation: 'Service wildcards grant deletes and policy changes the workload never needs; list the actions.',
  evaluate(resource) {
    return checkAllowStatements(resource, (s, actions) => {
      const bad = actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a));
      return bad.length > 0 ? `${sid(s)} allows ${bad.join(', ')}` : undefined;
    });
  },
});
