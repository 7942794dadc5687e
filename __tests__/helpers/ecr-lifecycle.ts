/**
 * A small evaluator of ECR lifecycle policies, after the documented semantics (Amazon ECR User
 * Guide, "How lifecycle policies work" and "Lifecycle policy properties"):
 *
 * - rules are evaluated from the lowest `rulePriority` number up;
 * - `tagStatus`: `untagged` selects images without tags; `tagged` selects images with at least one
 *   tag matching `tagPrefixList` (a prefix) or `tagPatternList` (`*` wildcards); `any` selects all
 *   and must have the highest `rulePriority` number;
 * - an image that matches the selection of a rule can no longer be expired by a rule with a lower
 *   priority (a higher number), whether or not that rule expires it;
 * - `imageCountMoreThan` N: of the images a rule selects, the N most recently pushed are kept and
 *   the older ones expire; `sinceImagePushed` N days: images pushed more than N days ago expire.
 *
 * Only AWS can prove the service itself; this proves what a policy says under those rules.
 */

export interface RegistryImage {
  readonly digest: string;
  readonly tags: readonly string[];
  /** Days before "now" the image was pushed. */
  readonly pushedDaysAgo: number;
}

interface Selection {
  readonly tagStatus: 'tagged' | 'untagged' | 'any';
  readonly tagPrefixList?: readonly string[];
  readonly tagPatternList?: readonly string[];
  readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
  readonly countUnit?: 'days';
  readonly countNumber: number;
}

interface Rule {
  readonly rulePriority: number;
  readonly selection: Selection;
  readonly action: { readonly type: 'expire' };
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function selects(s: Selection, image: RegistryImage): boolean {
  switch (s.tagStatus) {
    case 'untagged':
      return image.tags.length === 0;
    case 'any':
      return true;
    case 'tagged': {
      const prefixes = s.tagPrefixList ?? [];
      const patterns = (s.tagPatternList ?? []).map(wildcard);
      if (prefixes.length === 0 && patterns.length === 0) throw new Error('a tagged rule needs tagPrefixList or tagPatternList');
      return image.tags.some((t) => prefixes.some((p) => t.startsWith(p)) || patterns.some((r) => r.test(t)));
    }
  }
}

/** The digests a policy expires from `images`. */
export function expiredImages(policy: { rules: readonly Rule[] }, images: readonly RegistryImage[]): string[] {
  const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const anyIndex = rules.findIndex((r) => r.selection.tagStatus === 'any');
  if (anyIndex !== -1 && anyIndex !== rules.length - 1) throw new Error('a tagStatus "any" rule must have the highest rulePriority');
  const claimed = new Set<string>();
  const expired: string[] = [];
  for (const rule of rules) {
    const selected = images.filter((i) => !claimed.has(i.digest) && selects(rule.selection, i));
    for (const i of selected) claimed.add(i.digest);
    const { countType, countNumber } = rule.selection;
    const newestFirst = [...selected].sort((a, b) => a.pushedDaysAgo - b.pushedDaysAgo);
    const expire = countType === 'imageCountMoreThan' ? newestFirst.slice(countNumber) : newestFirst.filter((i) => i.pushedDaysAgo > countNumber);
    expired.push(...expire.map((i) => i.digest));
  }
  return expired.sort();
}
