/**
 * The tracking database: RDS for PostgreSQL (single-AZ or Multi-AZ) in the private subnets,
 * encrypted, never public, with a parameter group that forces SSL, backups, Performance Insights,
 * log exports, and (in production) deletion protection and a final snapshot. Credentials live in
 * Secrets Manager: either a random password in a secret the stack owns (the legacy layout, kept
 * byte-for-byte so the secret does not change) or the RDS-managed master password.
 */
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Password } from '@cdktf/provider-random/lib/password';
import { DatabaseConfig } from '../config/types';
import { POSTGRES_PORT } from './security-groups';
import { suppress } from './suppress';
import { ENHANCED_MONITORING_INTERVAL_SECONDS, EnhancedMonitoringRole } from './monitoring-role';

export interface DatabaseProps {
  readonly config: DatabaseConfig;
  /** For the Enhanced Monitoring role's trust policy. */
  readonly accountId: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly kmsKeyArn: string;
}

/** RFC 3986 unreserved characters: safe in a URI even without encoding. */
export const URI_SAFE_SPECIALS = '-_.~';

/**
 * Parameters both engines set: SSL forced (`rds.force_ssl`, applied at the next reboot), slow
 * statements and connections logged.
 */
export const SSL_AND_LOGGING_PARAMETERS = [
  { name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' },
  { name: 'log_min_duration_statement', value: '1000', applyMethod: 'immediate' },
  { name: 'log_connections', value: '1', applyMethod: 'immediate' },
];

/** RDS offers Performance Insights on every class but the micro and small burstable ones. */
export function performanceInsightsSupported(instanceClass: string): boolean {
  return !/^db\.t\d+g?\.(micro|small)$/.test(instanceClass);
}

/**
 * `passwordMode: 'random'`: a `random_password` and a Secrets Manager secret this stack owns with
 * the connection details (username, password, host, port, dbname), created under the database
 * construct (`<scope>_password`, `<scope>_secret`, `<scope>_secret-value`: the legacy addresses).
 * The password never changes by itself, so a runtime that reads it once at start keeps working;
 * it is not rotated automatically (a rotation is an operator step, docs/operations.md).
 */
export class StackPasswordSecret {
  public readonly password: Password;
  public readonly secret: SecretsmanagerSecret;

  constructor(
    private readonly scope: Construct,
    private readonly config: DatabaseConfig,
    kmsKeyArn: string,
  ) {
    this.password = new Password(scope, 'password', {
      length: 32,
      special: true,
      overrideSpecial: config.passwordSpecialCharacters ?? URI_SAFE_SPECIALS,
    });
    this.secret = new SecretsmanagerSecret(scope, 'secret', {
      name: config.secretName,
      description: 'MLflow database credentials (username, password, host, port, dbname)',
      kmsKeyId: kmsKeyArn,
      recoveryWindowInDays: 30,
    });
  }

  /** MLF-SM-2 (Secrets Manager rotation) does not apply to this secret, for `reason`. */
  public suppressRotation(reason: string): void {
    suppress(this.secret, [{ id: 'MLF-SM-2', reason }]);
  }

  /** The secret's value, once the database address is known. */
  public writeConnectionDetails(host: string): void {
    new SecretsmanagerSecretVersion(this.scope, 'secret-value', {
      secretId: this.secret.id,
      // jsonencode, not a literal: byte-identical to the legacy secret, so it is not rewritten.
      secretString: Fn.jsonencode({
        username: this.config.username,
        password: this.password.result,
        host,
        port: POSTGRES_PORT,
        dbname: this.config.name,
      }),
    });
  }
}

export class Database extends Construct {
  public readonly instance: DbInstance;
  /** ARN of the secret that holds the password (key `password`). */
  public readonly secretArn: string;
  public readonly address: string;
  public readonly port = POSTGRES_PORT;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { config } = props;
    const family = `postgres${config.engineVersion.split('.')[0]}`;

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: config.subnetGroupName,
      subnetIds: props.subnetIds,
    });
    const parameters = new DbParameterGroup(this, 'parameters', {
      name: `${config.identifier}-${family}`,
      family,
      description: `MLflow database: SSL required (${family})`,
      parameter: SSL_AND_LOGGING_PARAMETERS,
      lifecycle: { createBeforeDestroy: true },
    });

    const insights = performanceInsightsSupported(config.instanceClass);
    const owned = config.passwordMode === 'random' ? new StackPasswordSecret(this, config, props.kmsKeyArn) : undefined;

    const monitoring = new EnhancedMonitoringRole(this, 'monitoring', { databaseIdentifier: config.identifier, accountId: props.accountId });
    this.instance = new DbInstance(this, 'instance', {
      identifier: config.identifier,
      engine: 'postgres',
      engineVersion: config.engineVersion,
      instanceClass: config.instanceClass,
      allocatedStorage: config.allocatedStorageGiB,
      maxAllocatedStorage: config.maxAllocatedStorageGiB,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: config.storageKms === 'customer-managed' ? props.kmsKeyArn : undefined,
      dbName: config.name,
      username: config.username,
      password: owned?.password.result,
      manageMasterUserPassword: config.passwordMode === 'rds-managed' ? true : undefined,
      masterUserSecretKmsKeyId: config.passwordMode === 'rds-managed' ? props.kmsKeyArn : undefined,
      dbSubnetGroupName: subnetGroup.name,
      parameterGroupName: parameters.name,
      vpcSecurityGroupIds: [props.securityGroupId],
      // No explicit port: 5432 is the engine default (KICS bca7cc4d flags the explicit default).
      publiclyAccessible: false,
      multiAz: config.multiAz,
      backupRetentionPeriod: config.backupRetentionDays,
      backupWindow: '03:00-04:00',
      maintenanceWindow: 'sun:04:30-sun:05:30',
      copyTagsToSnapshot: true,
      deletionProtection: config.deletionProtection,
      skipFinalSnapshot: !config.finalSnapshot,
      finalSnapshotIdentifier: config.finalSnapshot ? `${config.identifier}-final` : undefined,
      autoMinorVersionUpgrade: true,
      caCertIdentifier: 'rds-ca-rsa2048-g1',
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
      performanceInsightsEnabled: insights,
      performanceInsightsRetentionPeriod: insights ? config.performanceInsightsRetentionDays : undefined,
      // Always the stack key, also when storage keeps the AWS-managed key (storageKms 'aws-managed'):
      // the Performance Insights key is independent of the storage key and is set in place while
      // Performance Insights is off (the legacy instance), but can never change once it is on.
      performanceInsightsKmsKeyId: insights ? props.kmsKeyArn : undefined,
      iamDatabaseAuthenticationEnabled: true,
      monitoringInterval: ENHANCED_MONITORING_INTERVAL_SECONDS,
      monitoringRoleArn: monitoring.role.arn,
      // Parameter and class changes wait for the maintenance window instead of restarting at apply.
      applyImmediately: false,
    });
    this.address = this.instance.address;
    suppress(this.instance, [
      ...(insights ? [] : [{ id: 'MLF-RDS-10', reason: `RDS offers no Performance Insights on the ${config.instanceClass} instance class.` }]),
      ...(config.deletionProtection
        ? []
        : [{ id: 'MLF-RDS-4', reason: 'Deletion protection is off by configuration (database.deletionProtection = false), which config validation allows only outside production.' }]),
    ]);
    if (owned) {
      owned.suppressRotation(
        "This secret holds the legacy random_password kept byte-for-byte for the migration; Secrets Manager rotation would make the live password diverge from Terraform state, so rotation comes with passwordMode 'rds-managed' (rotated by RDS).",
      );
      owned.writeConnectionDetails(this.instance.address);
      this.secretArn = owned.secret.arn;
    } else {
      this.secretArn = this.instance.masterUserSecret.get(0).secretArn;
    }
  }
}
