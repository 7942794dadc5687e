import { Rule } from '../../types';
import { EipAttached } from './EipAttached';
import { RouteDefaultViaGateway } from './RouteDefaultViaGateway';
import { ShieldAdvancedProtection } from './ShieldAdvancedProtection';
import { SubnetNoAutoPublicIp } from './SubnetNoAutoPublicIp';
import { VpcDefaultSecurityGroupClosed } from './VpcDefaultSecurityGroupClosed';
import { VpcFlowLogs } from './VpcFlowLogs';
import { VpcNetworkFirewall } from './VpcNetworkFirewall';
import { VpcNoDefaultVpc } from './VpcNoDefaultVpc';

export const VPC_RULES: readonly Rule[] = [
  VpcFlowLogs,
  VpcDefaultSecurityGroupClosed,
  VpcNoDefaultVpc,
  VpcNetworkFirewall,
  SubnetNoAutoPublicIp,
  RouteDefaultViaGateway,
  EipAttached,
  ShieldAdvancedProtection,
];
