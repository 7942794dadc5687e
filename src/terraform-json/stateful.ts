/**
 * Resource types that hold data (or identity other systems depend on): destroying or replacing one
 * loses something that a re-create does not bring back. Shared by the migration planner (BLOCKER vs
 * WARNING), plan review (the destroy/replace guard) and the policy checks.
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_rds_cluster_instance',
  'aws_s3_bucket',
  'aws_secretsmanager_secret',
  'aws_secretsmanager_secret_version',
  'aws_kms_key',
  'aws_ecr_repository',
  'random_password',
  'aws_cloudwatch_log_group',
  'aws_cognito_user_pool',
  'aws_efs_file_system',
  'aws_dynamodb_table',
];

export function isStatefulType(type: string, extra: readonly string[] = []): boolean {
  return STATEFUL_RESOURCE_TYPES.includes(type) || extra.includes(type);
}
