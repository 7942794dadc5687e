/**
 * A synthesized stack as the rules see it: every resource's Terraform JSON (what lands in
 * cdk.tf.json, references kept as `${type.name.attr}` strings, which is what graph checks match),
 * the provider blocks as pseudo-resources (`provider.aws`), and whether the stack is production.
 */
import { blocks, Json, referencedAddresses } from './values';

export interface TfResource {
  /** Resource type, e.g. `aws_s3_bucket`; `provider.aws` for a provider block. */
  readonly type: string;
  /** Logical name, e.g. `storage_artifacts_bucket`. */
  readonly name: string;
  /** Terraform address `type.name` (`provider.aws` / `provider.aws.<alias>` for providers). */
  readonly address: string;
  readonly config: Json;
}

/** The Terraform JSON document of a stack (the parts rules read). */
export interface TerraformDocument {
  readonly resource?: Record<string, Record<string, Json>>;
  readonly provider?: Record<string, Json[] | Json>;
}

export class StackModel {
  public readonly resources: readonly TfResource[];
  private readonly byAddress = new Map<string, TfResource>();
  private readonly refsCache = new Map<string, string[]>();

  constructor(
    public readonly stackName: string,
    public readonly production: boolean,
    doc: TerraformDocument,
  ) {
    const out: TfResource[] = [];
    for (const [type, byName] of Object.entries(doc.resource ?? {})) {
      for (const [name, config] of Object.entries(byName)) out.push({ type, name, address: `${type}.${name}`, config: config ?? {} });
    }
    for (const [providerName, configs] of Object.entries(doc.provider ?? {})) {
      for (const config of blocks(configs)) {
        const alias = typeof config.alias === 'string' ? config.alias : undefined;
        const type = `provider.${providerName}`;
        out.push({ type, name: alias ?? providerName, address: alias ? `${type}.${alias}` : type, config });
      }
    }
    out.sort((a, b) => a.address.localeCompare(b.address));
    this.resources = out;
    for (const r of out) this.byAddress.set(r.address, r);
  }

  get(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  ofType(...types: string[]): TfResource[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  /** Addresses a value (or a whole resource's config) refers to. */
  refs(resource: TfResource): string[] {
    let cached = this.refsCache.get(resource.address);
    if (!cached) {
      cached = referencedAddresses(resource.config);
      this.refsCache.set(resource.address, cached);
    }
    return cached;
  }

  /** The resources in this stack a value refers to. */
  resolve(value: unknown): TfResource[] {
    return referencedAddresses(value)
      .map((a) => this.byAddress.get(a))
      .filter((r): r is TfResource => r !== undefined);
  }

  /** The first resource of one of `types` that `value` refers to. */
  target(value: unknown, ...types: string[]): TfResource | undefined {
    return this.resolve(value).find((r) => types.length === 0 || types.includes(r.type));
  }

  /**
   * Resources of `types` whose `attribute` (any attribute when omitted) refers to `target`, e.g.
   * the `aws_flow_log` whose `vpc_id` is `${aws_vpc.main.id}`.
   */
  referencing(target: TfResource, types: readonly string[], attribute?: string): TfResource[] {
    return this.resources.filter((r) => {
      if (!types.includes(r.type) || r.address === target.address) return false;
      const refs = attribute === undefined ? this.refs(r) : referencedAddresses(r.config[attribute]);
      return refs.includes(target.address);
    });
  }

  /**
   * Resources of `types` attached to an S3 bucket: `bucket` refers to it, or names it literally.
   */
  bucketResources(bucket: TfResource, ...types: string[]): TfResource[] {
    const name = bucket.config.bucket;
    return this.resources.filter(
      (r) =>
        types.includes(r.type) &&
        (referencedAddresses(r.config.bucket).includes(bucket.address) || (typeof name === 'string' && r.config.bucket === name)),
    );
  }
}
