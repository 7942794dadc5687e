/**
 * The VPC: public subnets (ALB, NAT) and private subnets (tasks, database) in every configured AZ,
 * an internet gateway, NAT (one, or one per AZ), route tables, flow logs to an encrypted log group,
 * and the default security group closed. The public route table keeps its inline route (the legacy
 * layout); the private ones carry separate `aws_route` resources (NAT default route and one per
 * client network, `network.clientRoutes`), never inline routes: the two forms cannot be mixed on
 * one table, and inline routes would make every apply delete routes added outside the stack.
 *
 * Subnets and NAT are keyed by AZ name, not position, so adding an AZ never renumbers the others.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { NetworkConfig } from '../config/types';
import { assumeRolePolicy, policyDocument } from './iam';
import { suppress } from './suppress';

export interface NetworkProps {
  readonly config: NetworkConfig;
  /** Prefix of Name tags, e.g. `fraud-scoring` (legacy) or `fraud-scoring-staging`. */
  readonly namePrefix: string;
  readonly accountId: string;
  /** KMS key for the flow log group. */
  readonly kmsKeyArn: string;
}

export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly publicSubnets: Subnet[] = [];
  public readonly privateSubnets: Subnet[] = [];
  public readonly natGateways: NatGateway[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { config, namePrefix } = props;
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: config.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: `${namePrefix}-vpc` },
    });
    // No rules: nothing may use the default security group (CKV2_AWS_12).
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId: this.vpc.id, tags: { Name: `${namePrefix}-default-closed` } });
    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: `${namePrefix}-igw` } });

    config.availabilityZones.forEach((az, i) => {
      this.publicSubnets.push(
        new Subnet(this, `public-${az}`, {
          vpcId: this.vpc.id,
          cidrBlock: config.publicSubnetCidrs[i],
          availabilityZone: az,
          // Only the ALB and NAT live here and get their addresses explicitly (CKV_AWS_130).
          mapPublicIpOnLaunch: false,
          tags: { Name: `${namePrefix}-public-${i + 1}`, Tier: 'public' },
        }),
      );
      this.privateSubnets.push(
        new Subnet(this, `private-${az}`, {
          vpcId: this.vpc.id,
          cidrBlock: config.privateSubnetCidrs[i],
          availabilityZone: az,
          mapPublicIpOnLaunch: false,
          tags: { Name: `${namePrefix}-private-${i + 1}`, Tier: 'private' },
        }),
      );
    });

    const natZones = config.natGateways === 'per-az' ? config.availabilityZones : config.availabilityZones.slice(0, 1);
    natZones.forEach((az, i) => {
      // The first keeps the legacy unsuffixed names.
      const suffix = i === 0 ? '' : `-${i + 1}`;
      const eip = new Eip(this, `nat-eip-${az}`, { domain: 'vpc', tags: { Name: `${namePrefix}-nat-eip${suffix}` } });
      const nat = new NatGateway(this, `nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: this.publicSubnets[i].id,
        tags: { Name: `${namePrefix}-nat${suffix}` },
        dependsOn: [igw],
      });
      this.natGateways.push(nat);
    });

    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${namePrefix}-public-rt` },
    });
    // Private route tables have no inline routes: inline `route` blocks make a table own all its
    // routes, so an apply would delete any route added outside this stack (e.g. for a new client
    // network). Every route here is its own aws_route; unmanaged routes are left alone.
    const privateTables =
      config.natGateways === 'per-az'
        ? config.availabilityZones.map((az, i) => ({ id: `private-routes-${az}`, nat: this.natGateways[i], name: i === 0 ? `${namePrefix}-private-rt` : `${namePrefix}-private-rt-${i + 1}` }))
        : [{ id: 'private-routes', nat: this.natGateways[0], name: `${namePrefix}-private-rt` }];
    const clientRoutes = [...(config.clientRoutes ?? [])].sort((a, b) => a.cidr.localeCompare(b.cidr));
    const privateRoutes = privateTables.map(({ id, nat, name }) => {
      const table = new RouteTable(this, id, { vpcId: this.vpc.id, tags: { Name: name } });
      new Route(this, `${id}-nat`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      for (const client of clientRoutes) {
        new Route(this, `${id}-client-${client.cidr.replace(/[./]/g, '-')}`, {
          routeTableId: table.id,
          destinationCidrBlock: client.cidr,
          transitGatewayId: client.transitGatewayId,
          vpcPeeringConnectionId: client.vpcPeeringConnectionId,
        });
      }
      return table;
    });
    config.availabilityZones.forEach((az, i) => {
      new RouteTableAssociation(this, `public-${az}-routes`, { subnetId: this.publicSubnets[i].id, routeTableId: publicRoutes.id });
      new RouteTableAssociation(this, `private-${az}-routes`, {
        subnetId: this.privateSubnets[i].id,
        routeTableId: (privateRoutes[i] ?? privateRoutes[0]).id,
      });
    });

    // Flow logs (CKV2_AWS_11): all traffic to an encrypted log group.
    const flowLogGroup = new CloudwatchLogGroup(this, 'flow-logs', {
      name: `/vpc/${namePrefix}-flow-logs`,
      retentionInDays: config.flowLogRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const flowLogRole = new IamRole(this, 'flow-logs-role', {
      name: `${namePrefix}-vpc-flow-logs`,
      assumeRolePolicy: assumeRolePolicy('vpc-flow-logs.amazonaws.com', props.accountId),
    });
    new IamRolePolicy(this, 'flow-logs-policy', {
      name: `${namePrefix}-vpc-flow-logs`,
      role: flowLogRole.id,
      policy: policyDocument([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [flowLogGroup.arn, `${flowLogGroup.arn}:*`],
        },
      ]),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
    });

    suppress(this.vpc, [
      {
        id: 'MLF-VPC-4',
        reason:
          'No AWS Network Firewall (about USD 0.40/h per AZ plus data): tasks and the database sit in private subnets behind SG-to-SG rules, the only public entry is the WAF-protected ALB, and egress is limited to the ports each tier needs.',
      },
    ]);
    suppress(this, [
      {
        id: 'MLF-VPC-8',
        reason: 'Shield Advanced (USD 3,000/month, one-year commitment) is not bought for the NAT addresses: Shield Standard applies automatically and nothing listens on them.',
      },
    ]);
  }
}
