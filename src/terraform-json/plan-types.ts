/**
 * The parts of Terraform's machine-readable plan (`terraform show -json <planfile>`) that plan review
 * reads, for every format version Terraform has emitted (0.1 from Terraform 0.12 to 1.2 from 1.9+).
 * Everything newer versions added is optional here; fields this module does not read are omitted.
 */

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A sensitivity or unknown-ness mask: `true` marks the whole value, an object/array marks the
 * matching children, `false`/absent marks nothing.
 */
export type Mask = boolean | JsonValue;

export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget' | 'open';

/** The value change of an output; resource changes add replace paths and importing. */
export interface PlanOutputChange {
  readonly actions: readonly PlanAction[];
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  readonly after_unknown?: Mask;
  readonly before_sensitive?: Mask;
  readonly after_sensitive?: Mask;
}

export interface PlanChange extends PlanOutputChange {
  readonly replace_paths?: readonly (readonly (string | number)[])[];
  /** Terraform >= 1.5: the resource is being imported (`import` block). */
  readonly importing?: { readonly id?: string; readonly identity?: JsonValue };
}

export interface PlanResourceChange {
  /** Missing in `resource_drift` entries written by Terraform 0.15.4 to 1.0.x (a Terraform bug). */
  readonly address?: string;
  readonly previous_address?: string;
  readonly module_address?: string;
  readonly mode?: 'managed' | 'data' | string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number | null;
  readonly deposed?: string;
  readonly action_reason?: string;
  readonly change: PlanChange;
}

export interface RelevantAttribute {
  readonly resource: string;
  readonly attribute: readonly (string | number)[];
}

export interface StateResource {
  readonly address: string;
  readonly type?: string;
  readonly values?: JsonValue;
  readonly sensitive_values?: Mask;
}

export interface StateModule {
  readonly resources?: readonly StateResource[];
  readonly child_modules?: readonly StateModule[];
}

export interface StateValues {
  readonly outputs?: Record<string, { readonly sensitive?: boolean; readonly value?: JsonValue }>;
  readonly root_module?: StateModule;
}

/** One argument of a configured resource: a literal, or the addresses its expression refers to. */
export interface ConfigExpression {
  readonly constant_value?: JsonValue;
  readonly references?: readonly string[];
}

export interface ConfigResource {
  /** Relative to its module. */
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly expressions?: Record<string, ConfigExpression | JsonValue>;
}

export interface ConfigModule {
  readonly resources?: readonly ConfigResource[];
  readonly outputs?: Record<string, { readonly sensitive?: boolean }>;
  readonly variables?: Record<string, { readonly sensitive?: boolean }>;
  readonly module_calls?: Record<string, { readonly module?: ConfigModule }>;
}

export interface PlanDocument {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly variables?: Record<string, { readonly value?: JsonValue }>;
  readonly planned_values?: StateValues;
  readonly prior_state?: { readonly values?: StateValues };
  readonly resource_changes?: readonly PlanResourceChange[];
  readonly resource_drift?: readonly PlanResourceChange[];
  readonly output_changes?: Record<string, PlanOutputChange>;
  readonly relevant_attributes?: readonly RelevantAttribute[];
  readonly configuration?: { readonly root_module?: ConfigModule };
  readonly errored?: boolean;
  readonly applyable?: boolean;
  readonly complete?: boolean;
}
