/** Identity policies of IAM resources, parsed. */
import { TfResource } from '../../model';
import { fail, pass, RuleOutcome, unknown } from '../../types';
import { blocks, isAllow, parsePolicy, PolicyStatement, strings } from '../../values';

export const IDENTITY_POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_role', 'aws_iam_user_policy', 'aws_iam_group_policy'];

/** Statements of every identity policy a resource carries; `unknown` lists unreadable documents. */
export function identityStatements(resource: TfResource): { statements: PolicyStatement[]; unreadable: string[] } {
  const docs = resource.type === 'aws_iam_role' ? blocks(resource.config.inline_policy).map((p) => p.policy) : [resource.config.policy];
  const statements: PolicyStatement[] = [];
  const unreadable: string[] = [];
  for (const d of docs) {
    const parsed = parsePolicy(d, 'policy');
    if (parsed.kind === 'parsed') statements.push(...parsed.statements);
    else if (parsed.kind === 'unknown') unreadable.push(parsed.detail);
  }
  return { statements, unreadable };
}

/** Fails with the problems `check` finds in Allow statements; unknown if a document cannot be read. */
export function checkAllowStatements(resource: TfResource, check: (s: PolicyStatement, actions: string[], resources: string[]) => string | undefined): RuleOutcome {
  const { statements, unreadable } = identityStatements(resource);
  const problems = statements
    .filter(isAllow)
    .map((s) => check(s, strings(s.Action), strings(s.Resource)))
    .filter((p): p is string => p !== undefined);
  if (problems.length > 0) return fail(problems.join('; '));
  if (unreadable.length > 0) return unknown(unreadable.join('; '));
  return pass();
}

export function sid(s: PolicyStatement): string {
  return s.Sid ? `statement ${s.Sid}` : 'a statement';
}
