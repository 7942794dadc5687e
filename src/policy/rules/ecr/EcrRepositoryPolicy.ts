import { defineRule, fail, pass } from '../../types';

export const EcrRepositoryPolicy = defineRule({
  id: 'MLF-ECR-5',
  name: 'EcrRepositoryPolicy',
  severity: 'low',
  controls: ['ECR-HAS-POLICY'],
  scanners: { kics: ['69e7c320-b65d-41bb-be02-d63ecc0bcc9d'], terrascan: ['AC_AWS_0462'] },
  resourceTypes: ['aws_ecr_repository'],
  info: 'An aws_ecr_repository_policy references the repository.',
  explanation: 'A least-privilege repository policy (pull: the execution role, push: CI) limits access even if an identity policy is too broad. If IAM identity policies are the only grant and nothing is cross-account, suppress with that reason.',
  evaluate(repo, stack) {
    return stack.referencing(repo, ['aws_ecr_repository_policy'], 'repository').length > 0 ? pass() : fail('no aws_ecr_repository_policy references this repository');
  },
});
