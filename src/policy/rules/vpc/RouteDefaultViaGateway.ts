import { defineRule, fail, pass } from '../../types';
import { blocks, isInternetCidr } from '../../values';

function routesOf(config: Record<string, unknown>, type: string): Record<string, unknown>[] {
  return type === 'aws_route' ? [config] : blocks(config.route);
}

export const RouteDefaultViaGateway = defineRule({
  id: 'MLF-VPC-6',
  name: 'RouteDefaultViaGateway',
  severity: 'medium',
  controls: ['ROUTE-NAT-GW', 'ROUTE-PEERING'],
  scanners: { checkov: ['CKV2_AWS_35', 'CKV2_AWS_44'], kics: ['b3a41501-f712-4c4f-81e5-db9a7dc0e34e'] },
  resourceTypes: ['aws_route_table', 'aws_route'],
  info: 'Default routes (0.0.0.0/0, ::/0) go to an internet or NAT gateway, never to an instance, ENI or peering connection.',
  explanation: 'A NAT instance is unmanaged and a single point of failure; a default route through peering exposes the peer to everything.',
  evaluate(resource) {
    const bad = routesOf(resource.config, resource.type).filter((r) => {
      const cidr = String(r.cidr_block ?? r.destination_cidr_block ?? r.ipv6_cidr_block ?? r.destination_ipv6_cidr_block ?? '');
      return isInternetCidr(cidr) && (r.instance_id || r.network_interface_id || r.vpc_peering_connection_id);
    });
    return bad.length > 0 ? fail(`${bad.length} default route(s) target an instance, ENI or peering connection`) : pass();
  },
});
