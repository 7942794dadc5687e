/**
 * `migrate check-imports`: the import definitions (`imports/<environment>.json`, parsed and loaded by
 * `src/config/imports.ts` and `src/config/imports-file.ts`) checked against a synthesized stack.
 */
import { parseAddress } from '../terraform-json/address';
import { IMPORT_ID_RULES, ImportDefinitions } from '../config/imports';
import { parseReference, StackJson, stackResources } from './stack';

/**
 * Checks definitions against a synthesized stack: the address exists, and where the ID is a configured
 * name it equals the configuration (directly, or through a reference such as
 * `${aws_s3_bucket.storage_artifacts_bucket.id}` to a bucket configured with that name).
 * Returns the problems (empty when valid).
 */
export function validateImports(defs: ImportDefinitions, stackJson: StackJson): string[] {
  const problems: string[] = [];
  const byAddress = new Map(stackResources(stackJson).map((r) => [r.address, r]));
  defs.imports.forEach((d, i) => {
    const f = `imports/${defs.environment}.json imports[${i}]`;
    const resource = byAddress.get(d.address);
    if (!resource) {
      const sameType = [...byAddress.values()].filter((r) => r.type === parseAddress(d.address)?.type).map((r) => r.address).sort();
      problems.push(`${f}.address: ${d.address} is not in the stack${sameType.length > 0 ? ` (resources of that type: ${sameType.join(', ')})` : ''}`);
      return;
    }
    const rule = IMPORT_ID_RULES[resource.type];
    if (!rule?.configArgument) return;
    let configured = resource.config[rule.configArgument];
    const ref = parseReference(configured);
    if (ref) {
      const target = byAddress.get(ref.resource);
      const targetRule = target ? IMPORT_ID_RULES[target.type] : undefined;
      configured = target && targetRule?.configArgument ? target.config[targetRule.configArgument] : undefined;
    }
    if (typeof configured === 'string' && !configured.includes('${') && configured !== d.id) {
      problems.push(`${f}.id: "${d.id}" is not the configured ${rule.configArgument} "${configured}" of ${d.address} (importing it would plan a replacement)`);
    }
  });
  return problems;
}
