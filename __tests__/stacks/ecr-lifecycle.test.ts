/**
 * The ECR lifecycle policy never expires a deployable image: the image a stack runs (by tag or by
 * digest) survives any number of newer pushes, and only untagged images expire. Evaluated with the
 * documented lifecycle semantics (helpers/ecr-lifecycle.ts) over an image list that includes the
 * running image.
 */
import { environments } from '../../src/config/environments';
import { expiredImages, RegistryImage } from '../helpers/ecr-lifecycle';
import { resource, synthStack } from '../helpers/synth';

const sha = (n: number) => n.toString(16).padStart(40, 'a');
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

/** 60 newer builds tagged with their commit, one a day, plus untagged leftovers young and old. */
function registry(running: RegistryImage): RegistryImage[] {
  const builds = Array.from({ length: 60 }, (_, i) => ({ digest: digest(1000 + i), tags: [sha(i)], pushedDaysAgo: i + 1 }));
  return [running, ...builds, { digest: digest(1), tags: [], pushedDaysAgo: 1 }, { digest: digest(2), tags: [], pushedDaysAgo: 400 }];
}

describe('the evaluator', () => {
  test('finds what the old rule did: "any tag, keep the last 30" expires a running image older than 30 newer pushes', () => {
    const old = {
      rules: [
        { rulePriority: 1, selection: { tagStatus: 'untagged' as const, countType: 'sinceImagePushed' as const, countUnit: 'days' as const, countNumber: 14 }, action: { type: 'expire' as const } },
        { rulePriority: 2, selection: { tagStatus: 'any' as const, countType: 'imageCountMoreThan' as const, countNumber: 30 }, action: { type: 'expire' as const } },
      ],
    };
    const running = { digest: digest(7), tags: ['mlflow-2.18.0'], pushedDaysAgo: 200 };
    expect(expiredImages(old, registry(running))).toContain(running.digest);
  });

  test('an image claimed by a higher-priority rule is not expired by a lower-priority one', () => {
    const policy = {
      rules: [
        { rulePriority: 1, selection: { tagStatus: 'tagged' as const, tagPrefixList: ['release-'], countType: 'imageCountMoreThan' as const, countNumber: 100 }, action: { type: 'expire' as const } },
        { rulePriority: 2, selection: { tagStatus: 'any' as const, countType: 'imageCountMoreThan' as const, countNumber: 0 }, action: { type: 'expire' as const } },
      ],
    };
    const images = [
      { digest: digest(1), tags: ['release-1'], pushedDaysAgo: 9 },
      { digest: digest(2), tags: ['ci-1'], pushedDaysAgo: 1 },
    ];
    expect(expiredImages(policy, images)).toEqual([digest(2)]);
  });
});

describe.each(environments.map((c) => [c.stackName, c] as const))('%s', (_name, config) => {
  const policy = JSON.parse(resource(synthStack(config), 'aws_ecr_lifecycle_policy', 'registry_lifecycle').policy);
  const days = config.registry.untaggedExpiryDays;

  test('the running image (by its tag, or by digest with its commit tag) is kept after 60 newer pushes', () => {
    const image = config.registry.image;
    const running: RegistryImage =
      'tag' in image ? { digest: digest(7), tags: [image.tag], pushedDaysAgo: 400 } : { digest: image.digest, tags: [sha(999)], pushedDaysAgo: 400 };
    const expired = expiredImages(policy, registry(running));
    expect(expired).not.toContain(running.digest);
  });

  test('no tagged image ever expires; untagged images expire after untaggedExpiryDays', () => {
    const images = registry({ digest: digest(7), tags: ['mlflow-2.18.0'], pushedDaysAgo: 400 });
    expect(expiredImages(policy, images)).toEqual([digest(2)]);
    expect(expiredImages(policy, [{ digest: digest(3), tags: [], pushedDaysAgo: days }, { digest: digest(4), tags: [], pushedDaysAgo: days + 1 }])).toEqual([digest(4)]);
  });
});
