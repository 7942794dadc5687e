/**
 * THE table of arguments that force replacement when their value changes ("ForceNew" in the AWS
 * provider's SDKv2 schemas, `RequiresReplace` plan modifiers in plugin-framework resources and in the
 * random provider). It is the only place the migration keeps this knowledge; the planner compares
 * legacy state values against the new configuration for these arguments only.
 *
 * Sources (AWS provider v5.x, `hashicorp/terraform-provider-aws`, `internal/service/...`; random
 * provider v3.x, `hashicorp/terraform-provider-random`):
 * the `source` field of each row names the file whose schema marks these arguments `ForceNew: true`
 * (or `RequiresReplace`). The provider schema JSON (`terraform providers schema -json`) does NOT carry
 * this flag, so the table is confirmed against real `terraform plan` output (`replace_paths`) by
 * `__tests__/migration/replacement-table.terraform.test.ts` and, per migration, by
 * `migrate plan --confirm-with-terraform`.
 *
 * `default`: the value the provider uses when the configuration omits the argument (a legacy value
 * that differs from it still forces replacement). Arguments without a default are only compared when
 * the new configuration sets them (Optional+Computed arguments keep the existing value).
 * `configField`: the `EnvironmentConfig` field that sets the argument, for the fix message.
 */

export interface ForceNewArgument {
  readonly name: string;
  readonly default?: string | number | boolean;
  readonly configField?: string;
}

export interface ForceNewRow {
  readonly type: string;
  readonly arguments: readonly ForceNewArgument[];
  readonly source: string;
}

const AWS = 'hashicorp/terraform-provider-aws internal/service/';

export const FORCE_NEW_TABLE: readonly ForceNewRow[] = [
  {
    type: 'aws_lb_target_group',
    arguments: [
      { name: 'name', configField: 'edge.targetGroupName' },
      { name: 'name_prefix' },
      { name: 'port' },
      { name: 'protocol' },
      { name: 'protocol_version' },
      { name: 'target_type', default: 'instance' },
      { name: 'vpc_id' },
      { name: 'ip_address_type' },
    ],
    source: `${AWS}elbv2/target_group.go (resourceTargetGroup schema: ForceNew)`,
  },
  {
    type: 'aws_lb',
    arguments: [
      { name: 'name', configField: 'edge.loadBalancerName' },
      { name: 'name_prefix' },
      { name: 'internal', default: false },
      { name: 'load_balancer_type', default: 'application' },
    ],
    source: `${AWS}elbv2/load_balancer.go (resourceLoadBalancer schema: ForceNew)`,
  },
  { type: 'aws_lb_listener', arguments: [{ name: 'load_balancer_arn' }], source: `${AWS}elbv2/listener.go (ForceNew)` },
  {
    type: 'aws_db_instance',
    arguments: [
      { name: 'identifier', configField: 'database.identifier' },
      { name: 'identifier_prefix' },
      { name: 'engine', configField: 'database.engine' },
      { name: 'kms_key_id', configField: 'database.storageKms' },
      { name: 'db_name', configField: 'database.name' },
      { name: 'username', configField: 'database.username' },
      { name: 'storage_encrypted', default: false },
      { name: 'availability_zone' },
      { name: 'character_set_name' },
      { name: 'timezone' },
    ],
    source: `${AWS}rds/instance.go (resourceInstance schema: ForceNew)`,
  },
  {
    type: 'aws_rds_cluster',
    arguments: [
      { name: 'cluster_identifier', configField: 'database.identifier' },
      { name: 'engine', configField: 'database.engine' },
      { name: 'database_name', configField: 'database.name' },
      { name: 'master_username', configField: 'database.username' },
      { name: 'kms_key_id', configField: 'database.storageKms' },
      { name: 'storage_encrypted' },
    ],
    source: `${AWS}rds/cluster.go (ForceNew)`,
  },
  { type: 'aws_db_subnet_group', arguments: [{ name: 'name', configField: 'database.subnetGroupName' }, { name: 'name_prefix' }], source: `${AWS}rds/subnet_group.go (ForceNew)` },
  {
    type: 'aws_s3_bucket',
    arguments: [{ name: 'bucket', configField: 'artifacts.bucketName' }, { name: 'bucket_prefix' }, { name: 'object_lock_enabled' }],
    source: `${AWS}s3/bucket.go (ForceNew)`,
  },
  { type: 'aws_vpc', arguments: [{ name: 'cidr_block', configField: 'network.vpcCidr' }], source: `${AWS}ec2/vpc_.go (ForceNew)` },
  {
    type: 'aws_subnet',
    arguments: [
      { name: 'cidr_block', configField: 'network.publicSubnetCidrs / network.privateSubnetCidrs' },
      { name: 'availability_zone', configField: 'network.availabilityZones' },
      { name: 'availability_zone_id' },
      { name: 'vpc_id' },
      { name: 'ipv6_native', default: false },
    ],
    source: `${AWS}ec2/vpc_subnet.go (ForceNew)`,
  },
  {
    type: 'aws_security_group',
    arguments: [
      { name: 'name', configField: 'edge.securityGroups.<alb|tasks|database>.name' },
      { name: 'name_prefix' },
      { name: 'description', default: 'Managed by Terraform', configField: 'edge.securityGroups.<alb|tasks|database>.description' },
      { name: 'vpc_id' },
    ],
    source: `${AWS}ec2/vpc_security_group.go (ForceNew)`,
  },
  { type: 'aws_route_table', arguments: [{ name: 'vpc_id' }], source: `${AWS}ec2/vpc_route_table.go (ForceNew)` },
  {
    type: 'aws_route_table_association',
    arguments: [{ name: 'subnet_id' }, { name: 'gateway_id' }],
    source: `${AWS}ec2/vpc_route_table_association.go (ForceNew; route_table_id is updated in place)`,
  },
  {
    type: 'aws_nat_gateway',
    arguments: [{ name: 'allocation_id' }, { name: 'subnet_id' }, { name: 'connectivity_type', default: 'public' }],
    source: `${AWS}ec2/vpc_nat_gateway.go (ForceNew)`,
  },
  { type: 'aws_eip', arguments: [{ name: 'domain' }], source: `${AWS}ec2/ec2_eip.go (ForceNew)` },
  {
    type: 'aws_ecr_repository',
    arguments: [{ name: 'name', configField: 'registry.repositoryName' }, { name: 'encryption_configuration' }],
    source: `${AWS}ecr/repository.go (ForceNew)`,
  },
  {
    type: 'aws_secretsmanager_secret',
    arguments: [{ name: 'name', configField: 'database.secretName' }, { name: 'name_prefix' }],
    source: `${AWS}secretsmanager/secret.go (ForceNew)`,
  },
  { type: 'aws_secretsmanager_secret_version', arguments: [{ name: 'secret_id' }], source: `${AWS}secretsmanager/secret_version.go (ForceNew)` },
  {
    type: 'aws_iam_role',
    arguments: [{ name: 'name', configField: 'service.executionRoleName / service.taskRoleName' }, { name: 'name_prefix' }, { name: 'path', default: '/' }],
    source: `${AWS}iam/role.go (ForceNew)`,
  },
  { type: 'aws_iam_role_policy', arguments: [{ name: 'name' }, { name: 'name_prefix' }, { name: 'role' }], source: `${AWS}iam/role_policy.go (ForceNew)` },
  { type: 'aws_iam_role_policy_attachment', arguments: [{ name: 'role' }, { name: 'policy_arn' }], source: `${AWS}iam/role_policy_attachment.go (ForceNew)` },
  {
    type: 'aws_cloudwatch_log_group',
    arguments: [{ name: 'name', configField: 'service.logGroupName' }, { name: 'name_prefix' }],
    source: `${AWS}logs/group.go (ForceNew)`,
  },
  { type: 'aws_ecs_cluster', arguments: [{ name: 'name', configField: 'service.clusterName' }], source: `${AWS}ecs/cluster.go (ForceNew)` },
  {
    type: 'aws_ecs_service',
    arguments: [{ name: 'name', configField: 'service.serviceName' }, { name: 'cluster' }, { name: 'launch_type' }, { name: 'iam_role' }],
    source: `${AWS}ecs/service.go (ForceNew)`,
  },
  {
    type: 'aws_ecs_task_definition',
    // Every argument of a task definition forces a new revision (the old one is deregistered): only the
    // family is compared, since a new revision of the same family is the normal way to deploy.
    arguments: [{ name: 'family', configField: 'service.taskFamily' }],
    source: `${AWS}ecs/task_definition.go (ForceNew)`,
  },
  {
    type: 'random_password',
    arguments: [
      { name: 'length' },
      { name: 'special', default: true },
      { name: 'upper', default: true },
      { name: 'lower', default: true },
      { name: 'numeric', default: true },
      { name: 'min_upper', default: 0 },
      { name: 'min_lower', default: 0 },
      { name: 'min_numeric', default: 0 },
      { name: 'min_special', default: 0 },
      { name: 'override_special', configField: 'database.passwordSpecialCharacters' },
      { name: 'keepers' },
    ],
    source: 'hashicorp/terraform-provider-random internal/provider/resource_password.go (RequiresReplace on every argument)',
  },
];

const BY_TYPE = new Map(FORCE_NEW_TABLE.map((row) => [row.type, row]));

export function forceNewRow(type: string): ForceNewRow | undefined {
  return BY_TYPE.get(type);
}

/**
 * A reviewed exception to "any replacement of a moved resource is a BLOCKER": the type, the
 * attribute paths that must NOT be among the reasons (a replacement for one of those stays a
 * BLOCKER), and why the replacement is harmless.
 */
export interface ReplacementAllowance {
  readonly type: string;
  readonly notFor: readonly string[];
  readonly reason: string;
}

/**
 * THE allow-list of replacements of moved resources that the gate lets through (as WARNINGs). Keep it
 * short and reviewed: an entry here turns a replacement into a green light.
 */
export const REPLACEMENT_ALLOW_LIST: readonly ReplacementAllowance[] = [
  {
    type: 'aws_ecs_task_definition',
    notFor: ['family'],
    reason:
      'a task definition is immutable: any change registers a new revision of the same family and the service rolls to it (the old revision is deregistered, not the family); a different family is still a BLOCKER',
  },
];

/**
 * The allowance covering a replacement of `type` forced by `paths` (attribute paths, `a.b.0`), or
 * undefined. A replacement without known paths is only allowed when the entry names none to avoid.
 */
export function allowedReplacement(type: string, paths: readonly string[]): ReplacementAllowance | undefined {
  const entry = REPLACEMENT_ALLOW_LIST.find((a) => a.type === type);
  if (!entry) return undefined;
  return paths.some((p) => entry.notFor.includes(p.split('.')[0])) ? undefined : entry;
}
