/** Reading WAFv2 web ACL rules from synthesized JSON. */
import { TfResource } from '../../model';
import { blocks, firstBlock, Json } from '../../values';

export function aclRules(acl: TfResource): Json[] {
  return blocks(acl.config.rule);
}

export function managedStatement(rule: Json): Json | undefined {
  return firstBlock(firstBlock(rule.statement)?.managed_rule_group_statement);
}

export function managedGroupNames(acl: TfResource): string[] {
  return aclRules(acl)
    .map((r) => managedStatement(r)?.name)
    .filter((n): n is string => typeof n === 'string');
}

/** The managed-group rule of that name, if any. */
export function managedRule(acl: TfResource, group: string): Json | undefined {
  return aclRules(acl).find((r) => managedStatement(r)?.name === group);
}

/** Names of rules inside a managed group overridden to `count`. */
export function countOverrides(rule: Json): string[] {
  const statement = managedStatement(rule);
  return blocks(statement?.rule_action_override)
    .filter((o) => firstBlock(o.action_to_use)?.count !== undefined)
    .map((o) => String(o.name));
}

/** Does the rule's override_action say count (the whole group only counts)? */
export function groupCounts(rule: Json): boolean {
  return firstBlock(rule.override_action)?.count !== undefined;
}
