/**
 * The three security groups: ALB (80/443 from the internet), tasks (5000 from the ALB only),
 * database (5432 from the tasks only). Rules are inline, as in the legacy HCL (mixing inline rules
 * with separate rule resources makes Terraform fight itself), every rule is described, and egress
 * is narrowed to what each tier needs. Cross-group egress uses the VPC CIDR instead of group ids so
 * that the inline rules do not form a reference cycle.
 */
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { EdgeConfig } from '../config/types';
import { CONTAINER_PORT } from '../image/contract';
import { sgRule as rule } from './sg-rule';
import { suppress } from './suppress';

export interface SecurityGroupsProps {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly names: EdgeConfig['securityGroups'];
  /** Extra CIDRs allowed to reach the ALB on 443 instead of the whole internet. @default ['0.0.0.0/0'] */
  readonly albIngressCidrs?: readonly string[];
}

export const POSTGRES_PORT = 5432;

export class SecurityGroups extends Construct {
  public readonly alb: SecurityGroup;
  public readonly tasks: SecurityGroup;
  public readonly database: SecurityGroup;

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const { vpcId, vpcCidr, names } = props;
    const internet = [...(props.albIngressCidrs ?? ['0.0.0.0/0'])];
    this.alb = new SecurityGroup(this, 'alb', {
      name: names.alb.name,
      description: names.alb.description,
      vpcId,
      ingress: [
        rule('HTTP from the internet (redirected to HTTPS by the listener)', 80, { cidrBlocks: internet }),
        rule('HTTPS from the internet', 443, { cidrBlocks: internet }),
      ],
      egress: [
        rule('MLflow tasks in the VPC', CONTAINER_PORT, { cidrBlocks: [vpcCidr] }),
        // The authenticate action calls the IdP's token and user-info endpoints, whose addresses are not fixed.
        rule('HTTPS to the identity provider endpoints', 443, { cidrBlocks: ['0.0.0.0/0'] }),
      ],
      tags: { Name: names.alb.name },
    });
    suppress(this.alb, [
      { id: 'MLF-SG-5', reason: 'Port 80 is open only for the listener that redirects every request to HTTPS (301); nothing is served over HTTP.' },
      { id: 'MLF-SG-6', reason: 'The ALB is the one public entry point: 443 (and the port-80 redirect) from the internet, behind the WAF and listener authentication.' },
      { id: 'MLF-SG-10', reason: 'The authenticate action calls the identity provider token and user-info endpoints over 443, whose addresses are public and not fixed.' },
    ]);
    this.tasks = new SecurityGroup(this, 'tasks', {
      name: names.tasks.name,
      description: names.tasks.description,
      vpcId,
      ingress: [rule('MLflow from the ALB only', CONTAINER_PORT, { securityGroups: [this.alb.id] })],
      egress: [
        rule('PostgreSQL in the VPC', POSTGRES_PORT, { cidrBlocks: [vpcCidr] }),
        rule('HTTPS to AWS APIs (ECR, S3, Secrets Manager, CloudWatch Logs) through NAT', 443, { cidrBlocks: ['0.0.0.0/0'] }),
      ],
      tags: { Name: names.tasks.name },
    });
    suppress(this.tasks, [
      {
        id: 'MLF-SG-10',
        reason: 'Tasks reach ECR, S3, Secrets Manager and CloudWatch Logs over 443 through NAT; VPC endpoints would remove this egress at an extra hourly cost per endpoint and AZ.',
      },
    ]);
    this.database = new SecurityGroup(this, 'database', {
      name: names.database.name,
      description: names.database.description,
      vpcId,
      ingress: [rule('PostgreSQL from the MLflow tasks only', POSTGRES_PORT, { securityGroups: [this.tasks.id] })],
      // The database initiates no connections.
      egress: [],
      tags: { Name: names.database.name },
    });
  }
}
