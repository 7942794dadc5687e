/**
 * The three ways Terraform writes a security group rule, normalised to one shape: inline
 * `ingress`/`egress` blocks of aws_security_group (and aws_default_security_group),
 * aws_security_group_rule, and aws_vpc_security_group_ingress_rule / _egress_rule. KICS reads only
 * the first two; these rules read all three.
 */
import { StackModel, TfResource } from './model';
import { asNumber, blocks, isInternetCidr, strings } from './values';

export interface SgRule {
  readonly direction: 'ingress' | 'egress';
  /** `tcp`, `udp`, `icmp`, `-1` (all), ... lower-case. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrs: readonly string[];
  /** Source/destination security groups (references) or prefix lists. */
  readonly peers: readonly string[];
  readonly description: unknown;
  /** The group the rule belongs to (address), when known. */
  readonly group?: string;
  /** Where the rule is written: `aws_security_group.x ingress[0]` or a rule resource address. */
  readonly origin: string;
}

function protocolOf(value: unknown): string {
  const p = String(value ?? '-1').toLowerCase();
  return p === 'all' ? '-1' : p;
}

function portsOf(protocol: string, from: unknown, to: unknown): [number, number] {
  if (protocol === '-1') return [0, 65535];
  return [asNumber(from) ?? 0, asNumber(to) ?? asNumber(from) ?? 65535];
}

function inline(group: TfResource): SgRule[] {
  const out: SgRule[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    blocks(group.config[direction]).forEach((b, i) => {
      const protocol = protocolOf(b.protocol);
      const [fromPort, toPort] = portsOf(protocol, b.from_port, b.to_port);
      out.push({
        direction,
        protocol,
        fromPort,
        toPort,
        cidrs: [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)],
        peers: [...strings(b.security_groups), ...strings(b.prefix_list_ids), ...(b.self === true ? [group.address] : [])],
        description: b.description,
        group: group.address,
        origin: `${group.address} ${direction}[${i}]`,
      });
    });
  }
  return out;
}

/** The rule(s) one resource defines, whatever its form. */
export function rulesOf(resource: TfResource, stack: StackModel): SgRule[] {
  const c = resource.config;
  switch (resource.type) {
    case 'aws_security_group':
    case 'aws_default_security_group':
      return inline(resource);
    case 'aws_security_group_rule': {
      const protocol = protocolOf(c.protocol);
      const [fromPort, toPort] = portsOf(protocol, c.from_port, c.to_port);
      return [
        {
          direction: c.type === 'egress' ? 'egress' : 'ingress',
          protocol,
          fromPort,
          toPort,
          cidrs: [...strings(c.cidr_blocks), ...strings(c.ipv6_cidr_blocks)],
          peers: [...strings(c.source_security_group_id), ...strings(c.prefix_list_ids), ...(c.self === true ? ['self'] : [])],
          description: c.description,
          group: stack.target(c.security_group_id, 'aws_security_group', 'aws_default_security_group')?.address,
          origin: resource.address,
        },
      ];
    }
    case 'aws_vpc_security_group_ingress_rule':
    case 'aws_vpc_security_group_egress_rule': {
      const protocol = protocolOf(c.ip_protocol);
      const [fromPort, toPort] = portsOf(protocol, c.from_port, c.to_port);
      return [
        {
          direction: resource.type.endsWith('ingress_rule') ? 'ingress' : 'egress',
          protocol,
          fromPort,
          toPort,
          cidrs: [...strings(c.cidr_ipv4), ...strings(c.cidr_ipv6)],
          peers: [...strings(c.referenced_security_group_id), ...strings(c.prefix_list_id)],
          description: c.description,
          group: stack.target(c.security_group_id, 'aws_security_group', 'aws_default_security_group')?.address,
          origin: resource.address,
        },
      ];
    }
    default:
      return [];
  }
}

export const SG_RULE_TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

export function coversPort(rule: SgRule, port: number): boolean {
  return rule.fromPort <= port && port <= rule.toPort && (rule.protocol === '-1' || rule.protocol === 'tcp' || rule.protocol === '6');
}

export function fromInternet(rule: SgRule): boolean {
  return rule.cidrs.some(isInternetCidr);
}

/** Is the group (address) attached to a load balancer of this stack? */
export function isLoadBalancerGroup(groupAddress: string | undefined, stack: StackModel): boolean {
  if (!groupAddress) return false;
  return stack.ofType('aws_lb', 'aws_alb').some((lb) => stack.resolve(lb.config.security_groups).some((g) => g.address === groupAddress));
}

export function describe(rule: SgRule): string {
  const ports = rule.protocol === '-1' ? 'all traffic' : rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
  return `${rule.origin} (${rule.direction} ${ports} ${rule.direction === 'ingress' ? 'from' : 'to'} ${[...rule.cidrs, ...rule.peers].join(', ') || 'nothing'})`;
}
