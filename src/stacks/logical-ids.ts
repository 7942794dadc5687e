/**
 * Readable, stable Terraform addresses.
 *
 * cdktf's default scheme appends an 8-hex hash of the construct path to every nested resource
 * (`aws_subnet.network_public_A539D629`), so wrapping or renaming a construct silently changes the
 * address and plans a destroy + create. Users of this project migrate state and read plans by
 * address, so every address is the construct path below the stack in snake_case, joined with `_`
 * (`network` > `public-subnet-us-east-1a` gives `network_public_subnet_us_east_1a`), and a collision
 * is an error at synth instead of a silent overwrite.
 */
import { Node } from 'constructs';
import { TerraformElement, TerraformResource, TerraformStack } from 'cdktf';

/** `PublicSubnet-us-east-1a` -> `public_subnet_us_east_1a`. */
export function toSnakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** The logical id for a construct path below the stack. */
export function logicalIdFor(components: readonly string[]): string {
  const id = components.map(toSnakeCase).filter((c) => c.length > 0).join('_');
  if (!/^[a-z_][a-z0-9_]*$/.test(id)) {
    throw new Error(`construct path "${components.join('/')}" gives the logical id "${id}", which is not a valid Terraform name`);
  }
  return id;
}

/**
 * A stack whose elements get path-derived logical ids with no hash. Subclass it instead of
 * `TerraformStack`.
 */
export class ReadableIdsStack extends TerraformStack {
  private readonly allocated = new Map<string, string>();

  protected allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
    const stackIndex = node.scopes.indexOf(this);
    const components = node.scopes.slice(stackIndex + 1).map((c) => c.node.id);
    if (components.length === 0) return '';
    const id = logicalIdFor(components);
    const kind = TerraformResource.isTerraformResource(tfElement)
      ? (tfElement as TerraformResource).terraformResourceType
      : (tfElement as object).constructor.name;
    const key = `${kind}.${id}`;
    const path = node.path;
    const previous = this.allocated.get(key);
    if (previous !== undefined && previous !== path) {
      throw new Error(`Terraform address collision: "${key}" is allocated to both "${previous}" and "${path}"; rename one construct`);
    }
    this.allocated.set(key, path);
    return id;
  }
}
