/**
 * A fully specified inline security group rule (every list present, so Terraform shows no diff
 * between the configuration and what EC2 returns). Every inline rule in the stacks is built here.
 */
import { SecurityGroupEgress, SecurityGroupIngress } from '@cdktf/provider-aws/lib/security-group';

export function sgRule(description: string, port: number, extra: Partial<SecurityGroupIngress>): SecurityGroupIngress & SecurityGroupEgress {
  return {
    description,
    fromPort: port,
    toPort: port,
    protocol: 'tcp',
    cidrBlocks: [],
    ipv6CidrBlocks: [],
    prefixListIds: [],
    securityGroups: [],
    selfAttribute: false,
    ...extra,
  };
}
