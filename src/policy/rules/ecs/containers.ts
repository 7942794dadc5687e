/** Shared shape of per-container task definition rules: every container must satisfy `check`. */
import { TfResource } from '../../model';
import { fail, pass, RuleOutcome, unknown } from '../../types';
import { Json } from '../../values';
import { containerName, containersOf } from './util';

export function everyContainer(task: TfResource, check: (c: Json) => string | undefined): RuleOutcome {
  const containers = containersOf(task);
  if (containers.kind === 'unknown') return unknown(containers.detail);
  const problems = containers.list.map((c, i) => {
    const problem = check(c);
    return problem ? `${containerName(c, i)}: ${problem}` : undefined;
  });
  const bad = problems.filter((p): p is string => p !== undefined);
  return bad.length > 0 ? fail(bad.join('; ')) : pass();
}
