/**
 * The IAM role RDS Enhanced Monitoring publishes OS metrics with (one per database construct),
 * for RDS instances and Aurora cluster instances alike.
 */
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { assumeRolePolicy } from './iam';

/** Enhanced Monitoring granularity in seconds (1, 5, 10, 15, 30 or 60). */
export const ENHANCED_MONITORING_INTERVAL_SECONDS = 60;

export class EnhancedMonitoringRole extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: { readonly databaseIdentifier: string; readonly accountId: string }) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: `${props.databaseIdentifier}-rds-monitoring`.slice(0, 64),
      assumeRolePolicy: assumeRolePolicy('monitoring.rds.amazonaws.com', props.accountId),
    });
    new IamRolePolicyAttachment(this, 'policy', {
      role: this.role.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    });
  }
}
