import { Rule } from '../../types';
import { IamNoAdminAccess } from './IamNoAdminAccess';
import { IamNoPrivilegeEscalation } from './IamNoPrivilegeEscalation';
import { IamNoServiceWildcardActions } from './IamNoServiceWildcardActions';
import { IamNoWildcardResource } from './IamNoWildcardResource';
import { IamTrustNotPublic } from './IamTrustNotPublic';
import { IamTrustServicePrincipals } from './IamTrustServicePrincipals';
import { ResourcePolicyHasPrincipal } from './ResourcePolicyHasPrincipal';

export const IAM_RULES: readonly Rule[] = [
  IamTrustNotPublic,
  IamTrustServicePrincipals,
  IamNoAdminAccess,
  IamNoWildcardResource,
  IamNoServiceWildcardActions,
  IamNoPrivilegeEscalation,
  ResourcePolicyHasPrincipal,
];
