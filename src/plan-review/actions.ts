/** Terraform's action lists, bucketed, and resource addresses (rebuilt when a plan lacks them). */
import { PlanInputError } from '../terraform-json/plan-input';
import { PlanResourceChange } from '../terraform-json/plan-types';

/** The review buckets, in the order a reviewer should read them (most destructive first). */
export const CHANGE_KINDS = ['delete', 'replace', 'update', 'create', 'forget', 'read', 'import', 'move', 'no-op'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Bucket of an `actions` list; throws for combinations Terraform does not emit. */
export function kindOfActions(actions: readonly string[], where: string): Exclude<ChangeKind, 'import' | 'move'> | 'open' {
  const key = actions.join(',');
  switch (key) {
    case 'no-op':
    case 'create':
    case 'read':
    case 'update':
    case 'delete':
    case 'forget':
      return key;
    case 'delete,create':
    case 'create,delete':
    case 'create,forget':
      return 'replace';
    case 'open':
      return 'open';
    default:
      throw new PlanInputError(`${where}: unknown action combination [${actions.map((a) => JSON.stringify(a)).join(', ')}]`);
  }
}

export function addressOf(rc: PlanResourceChange): { address: string; reconstructed: boolean } {
  if (rc.address) return { address: rc.address, reconstructed: false };
  const index = rc.index === undefined || rc.index === null ? '' : typeof rc.index === 'number' ? `[${rc.index}]` : `[${JSON.stringify(rc.index)}]`;
  const base = `${rc.mode === 'data' ? 'data.' : ''}${rc.type}.${rc.name}${index}`;
  return { address: rc.module_address ? `${rc.module_address}.${base}` : base, reconstructed: true };
}

/** Orders anything with an address by it (plain code-unit order, so output does not depend on the locale). */
export function byAddress(a: { readonly address: string }, b: { readonly address: string }): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}
