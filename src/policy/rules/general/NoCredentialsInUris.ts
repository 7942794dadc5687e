import { TfResource } from '../../model';
import { credentialUri } from '../../../config/secret-like';
import { defineRule, fail, pass, RuleOutcome, unknown } from '../../types';
import { blocks, firstBlock, Json, strings } from '../../values';
import { containerName, containersOf } from '../ecs/util';

/** Plain values a resource hands to a process, as `[where, value]` pairs. */
function plainValues(resource: TfResource): [string, string][] | RuleOutcome {
  const c = resource.config;
  const mapValues = (where: string, map: unknown): [string, string][] =>
    typeof map === 'object' && map !== null ? Object.entries(map as Json).filter((e): e is [string, string] => typeof e[1] === 'string').map(([k, v]) => [`${where}.${k}`, v]) : [];
  switch (resource.type) {
    case 'aws_ecs_task_definition': {
      const containers = containersOf(resource);
      if (containers.kind === 'unknown') return unknown(containers.detail);
      return containers.list.flatMap((container, i) => {
        const name = containerName(container, i);
        return [
          ...blocks(container.environment).filter((e) => typeof e.value === 'string').map((e): [string, string] => [`${name} environment ${String(e.name)}`, e.value as string]),
          ...strings(container.command).map((v, j): [string, string] => [`${name} command[${j}]`, v]),
          ...strings(container.entryPoint).map((v, j): [string, string] => [`${name} entryPoint[${j}]`, v]),
        ];
      });
    }
    case 'aws_apprunner_service': {
      const source = firstBlock(c.source_configuration);
      const image = firstBlock(firstBlock(firstBlock(source?.image_repository)?.image_configuration));
      const code = firstBlock(firstBlock(firstBlock(source?.code_repository)?.code_configuration)?.code_configuration_values);
      return [...mapValues('runtime_environment_variables', image?.runtime_environment_variables), ...mapValues('runtime_environment_variables', code?.runtime_environment_variables)];
    }
    case 'aws_lambda_function':
      return mapValues('environment.variables', firstBlock(c.environment)?.variables);
    case 'aws_ssm_parameter':
      return c.type === 'SecureString' || typeof c.value !== 'string' ? [] : [['value', c.value]];
    default:
      return [];
  }
}

export const NoCredentialsInUris = defineRule({
  id: 'MLF-GEN-3',
  name: 'NoCredentialsInUris',
  severity: 'critical',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_ecs_task_definition', 'aws_apprunner_service', 'aws_lambda_function', 'aws_ssm_parameter'],
  info: 'No plain value a process receives (task environment or command, App Runner runtime variable, Lambda environment, String SSM parameter) is a URI with an embedded password (scheme://user:password@host).',
  explanation:
    'MLFLOW_BACKEND_STORE_URI=postgresql://user:pw@host as a plain environment value puts the database password in the task definition (readable by anyone with ecs:DescribeTaskDefinition), in cdk.tf.json and in the state, whatever the variable is called; a reference (${...}) in the password part is resolved into the same plain value. Pass the password as a secret (ECS secrets[].valueFrom, App Runner runtime_environment_secrets) and build the URI in the process, as the MLflow image does.',
  evaluate(resource) {
    const values = plainValues(resource);
    if (!Array.isArray(values)) return values;
    const found = values.map(([where, value]) => [where, credentialUri(value)] as const).filter((e): e is readonly [string, string] => e[1] !== undefined);
    return found.length > 0 ? fail(`credentials embedded in a URI: ${found.map(([where, masked]) => `${where} (${masked}…)`).join('; ')}`) : pass();
  },
});
