/**
 * Stack-level suppressions keyed by Terraform address, for resources defined in files whose
 * constructs cannot carry a `suppress(...)` call. Prefer `suppress(construct, ...)` next to the
 * resource (src/policy/suppress.ts); every entry here needs the same written reason.
 */
import { Suppression } from '../constructs/suppress';

export interface AddressSuppression extends Suppression {
  /** Terraform address, e.g. `aws_wafv2_web_acl.waf_acl`. */
  readonly address: string;
  /** Stack names it applies to. @default every stack */
  readonly stacks?: readonly string[];
}

/**
 * Empty: every shipped exception sits next to its resource. Users who cannot edit a construct
 * (e.g. a resource added by an override) list theirs here.
 */
export const ADDRESS_SUPPRESSIONS: readonly AddressSuppression[] = [];
