import { Rule } from '../../types';
import { SecurityGroupAttached } from './SecurityGroupAttached';
import { SecurityGroupDescriptions } from './SecurityGroupDescriptions';
import { SecurityGroupEgressToInternet } from './SecurityGroupEgressToInternet';
import { SecurityGroupIngressUsesGroupReferences } from './SecurityGroupIngressUsesGroupReferences';
import { SecurityGroupNoAllPortsPublic } from './SecurityGroupNoAllPortsPublic';
import { SecurityGroupNoAllTrafficEgress } from './SecurityGroupNoAllTrafficEgress';
import { SecurityGroupNoPublicAdminPorts } from './SecurityGroupNoPublicAdminPorts';
import { SecurityGroupPublicHttpIngress } from './SecurityGroupPublicHttpIngress';
import { SecurityGroupPublicIngress } from './SecurityGroupPublicIngress';
import { SecurityGroupPublicIngressOnlyAlbWeb } from './SecurityGroupPublicIngressOnlyAlbWeb';

export const SG_RULES: readonly Rule[] = [
  SecurityGroupDescriptions,
  SecurityGroupAttached,
  SecurityGroupNoPublicAdminPorts,
  SecurityGroupPublicIngressOnlyAlbWeb,
  SecurityGroupPublicHttpIngress,
  SecurityGroupPublicIngress,
  SecurityGroupNoAllPortsPublic,
  SecurityGroupIngressUsesGroupReferences,
  SecurityGroupNoAllTrafficEgress,
  SecurityGroupEgressToInternet,
];
