/** RDS helpers: engines, parameter groups. */
import { StackModel, TfResource } from '../../model';
import { blocks } from '../../values';

export const isAurora = (r: TfResource): boolean => String(r.config.engine ?? '').startsWith('aurora');

/** Value of a parameter in the parameter group a value refers to (or names literally). */
export function parameterGroup(stack: StackModel, ref: unknown, type: 'aws_db_parameter_group' | 'aws_rds_cluster_parameter_group'): TfResource | undefined {
  return stack.target(ref, type) ?? stack.ofType(type).find((g) => typeof ref === 'string' && g.config.name === ref);
}

export function parameterValue(group: TfResource, name: string): string | undefined {
  const p = blocks(group.config.parameter).find((x) => x.name === name);
  return p === undefined ? undefined : String(p.value);
}

/** The cluster instances of an aws_rds_cluster. */
export function clusterInstances(cluster: TfResource, stack: StackModel): TfResource[] {
  return stack.referencing(cluster, ['aws_rds_cluster_instance'], 'cluster_identifier');
}
