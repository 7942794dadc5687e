/**
 * The tracking database as Aurora PostgreSQL Serverless v2: a cluster (encrypted with the stack
 * key, the master password either RDS-managed in its own KMS-encrypted secret or a stack-owned
 * random password in the stack's secret (`passwordMode`), backups, deletion protection and
 * final snapshot by config, log exports, IAM auth) with a cluster parameter group that forces SSL,
 * and N `db.serverless` instances with Performance Insights (KMS) spread over the subnet group's AZs.
 *
 * It exposes the same `address` / `port` / `secretArn` / `endpoint` as `Database`, so the runtimes
 * are wired the same way. Switching an environment between RDS and Aurora creates a new, empty
 * cluster: data moves with `migration/db/` (see docs/operations.md).
 */
import { Construct } from 'constructs';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { DatabaseConfig } from '../config/types';
import { suppress } from './suppress';
import { ENHANCED_MONITORING_INTERVAL_SECONDS, EnhancedMonitoringRole } from './monitoring-role';
import { SSL_AND_LOGGING_PARAMETERS, StackPasswordSecret } from './database';
import { POSTGRES_PORT } from './security-groups';

export interface AuroraDatabaseProps {
  readonly config: DatabaseConfig;
  /** For the Enhanced Monitoring role's trust policy. */
  readonly accountId: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly kmsKeyArn: string;
}

/** What the runtimes need from either database construct. */
export interface TrackingDatabase {
  readonly address: string;
  readonly port: number;
  readonly secretArn: string;
  /** `host:port` (RDS) or the writer endpoint (Aurora), for outputs. */
  readonly endpoint: string;
  /** The CloudWatch dimension that names it. */
  readonly metricTarget: { readonly kind: 'instance' | 'cluster'; readonly identifier: string };
}

export class AuroraDatabase extends Construct implements TrackingDatabase {
  public readonly cluster: RdsCluster;
  public readonly instances: RdsClusterInstance[] = [];
  public readonly address: string;
  public readonly port = POSTGRES_PORT;
  public readonly secretArn: string;
  public readonly endpoint: string;
  public readonly metricTarget: TrackingDatabase['metricTarget'];

  constructor(scope: Construct, id: string, props: AuroraDatabaseProps) {
    super(scope, id);
    const { config } = props;
    const aurora = config.aurora;
    if (!aurora) throw new Error(`database.aurora is required with engine "aurora-postgresql" (validation should have caught this)`);
    const family = `aurora-postgresql${config.engineVersion.split('.')[0]}`;

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', { name: config.subnetGroupName, subnetIds: props.subnetIds });
    const parameters = new RdsClusterParameterGroup(this, 'cluster-parameters', {
      name: `${config.identifier}-${family}`,
      family,
      description: `MLflow database: SSL required (${family})`,
      parameter: [...SSL_AND_LOGGING_PARAMETERS, { name: 'log_statement', value: 'ddl', applyMethod: 'immediate' }],
      lifecycle: { createBeforeDestroy: true },
    });

    // 'random': a password the stack owns and that nothing rotates underneath the runtime (the App
    // Runner variant reads it only when it deploys); 'rds-managed': RDS generates and rotates it.
    const owned = config.passwordMode === 'random' ? new StackPasswordSecret(this, config, props.kmsKeyArn) : undefined;
    this.cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier: config.identifier,
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      engineVersion: config.engineVersion,
      databaseName: config.name,
      masterUsername: config.username,
      masterPassword: owned?.password.result,
      manageMasterUserPassword: owned ? undefined : true,
      masterUserSecretKmsKeyId: owned ? undefined : props.kmsKeyArn,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbSubnetGroupName: subnetGroup.name,
      dbClusterParameterGroupName: parameters.name,
      vpcSecurityGroupIds: [props.securityGroupId],
      // No explicit port: 5432 is the engine default (KICS bca7cc4d flags the explicit default).
      serverlessv2ScalingConfiguration: { minCapacity: aurora.minCapacityAcu, maxCapacity: aurora.maxCapacityAcu },
      backupRetentionPeriod: config.backupRetentionDays,
      preferredBackupWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:04:30-sun:05:30',
      copyTagsToSnapshot: true,
      deletionProtection: config.deletionProtection,
      skipFinalSnapshot: !config.finalSnapshot,
      finalSnapshotIdentifier: config.finalSnapshot ? `${config.identifier}-final` : undefined,
      enabledCloudwatchLogsExports: ['postgresql'],
      iamDatabaseAuthenticationEnabled: true,
      applyImmediately: false,
    });

    const monitoring = new EnhancedMonitoringRole(this, 'monitoring', { databaseIdentifier: config.identifier, accountId: props.accountId });
    if (!config.deletionProtection) {
      suppress(this.cluster, [
        {
          id: 'MLF-RDS-4',
          reason: 'Deletion protection is off by configuration (database.deletionProtection = false), which config validation allows only outside production.',
        },
      ]);
    }
    for (let i = 1; i <= aurora.instances; i++) {
      this.instances.push(
        new RdsClusterInstance(this, `instance-${i}`, {
          identifier: `${config.identifier}-${i}`,
          clusterIdentifier: this.cluster.id,
          instanceClass: 'db.serverless',
          engine: this.cluster.engine,
          engineVersion: this.cluster.engineVersion,
          dbSubnetGroupName: subnetGroup.name,
          publiclyAccessible: false,
          autoMinorVersionUpgrade: true,
          caCertIdentifier: 'rds-ca-rsa2048-g1',
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: props.kmsKeyArn,
          performanceInsightsRetentionPeriod: config.performanceInsightsRetentionDays,
          monitoringInterval: ENHANCED_MONITORING_INTERVAL_SECONDS,
          monitoringRoleArn: monitoring.role.arn,
          // The first instance is the preferred writer; the others are failover readers.
          promotionTier: i === 1 ? 0 : 1,
          copyTagsToSnapshot: true,
          applyImmediately: false,
        }),
      );
    }

    this.address = this.cluster.endpoint;
    this.endpoint = this.cluster.endpoint;
    if (owned) {
      owned.suppressRotation(
        'App Runner resolves secrets only when it deploys and has HTTP/TCP health checks only, so a password rotated underneath it (RDS-managed rotation every 7 days) would break every new connection with nothing to replace the instances; the stack-owned password changes only through a deliberate rotation and a new deployment (docs/operations.md).',
      );
      suppress(this.cluster, [
        {
          id: 'MLF-RDS-20',
          reason:
            'passwordMode is "random": App Runner cannot pick up an RDS-managed password that RDS rotates underneath it, so the cluster takes the stack-owned password from the stack secret (KMS-encrypted) instead of manage_master_user_password.',
        },
      ]);
      owned.writeConnectionDetails(this.cluster.endpoint);
      this.secretArn = owned.secret.arn;
    } else {
      this.secretArn = this.cluster.masterUserSecret.get(0).secretArn;
    }
    this.metricTarget = { kind: 'cluster', identifier: config.identifier };
  }
}
