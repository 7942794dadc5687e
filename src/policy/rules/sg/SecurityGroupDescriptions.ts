import { defineRule, fail, pass } from '../../types';
import { rulesOf, SG_RULE_TYPES } from '../../security-group-rules';

const missing = (d: unknown): boolean => typeof d !== 'string' || d.trim() === '' || d === 'Managed by Terraform';

export const SecurityGroupDescriptions = defineRule({
  id: 'MLF-SG-1',
  name: 'SecurityGroupDescriptions',
  severity: 'low',
  controls: ['SG-DESCRIPTIONS'],
  scanners: {
    checkov: ['CKV_AWS_23'],
    trivy: ['AVD-AWS-0099', 'AVD-AWS-0124'],
    kics: ['cb3f5ed6-0d18-40de-a93d-b3538db31e8c', '68eb4bf3-f9bf-463d-b5cf-e029bb446d2e'],
  },
  resourceTypes: SG_RULE_TYPES,
  info: 'Every security group and every rule (inline or resource) has a description other than "Managed by Terraform".',
  explanation: 'Descriptions say why a port is open; reviewers and incident responders depend on them. Group descriptions force replacement when changed, so set them right at creation.',
  evaluate(resource, stack) {
    const problems: string[] = [];
    if (resource.type === 'aws_security_group' && missing(resource.config.description)) problems.push('the group has no description');
    for (const r of rulesOf(resource, stack)) if (missing(r.description)) problems.push(`${r.origin} has no description`);
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
