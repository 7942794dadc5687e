import { Rule } from '../../types';
import { EcrImmutableTags } from './EcrImmutableTags';
import { EcrKmsCmk } from './EcrKmsCmk';
import { EcrLifecyclePolicy } from './EcrLifecyclePolicy';
import { EcrRepositoryPolicy } from './EcrRepositoryPolicy';
import { EcrRepositoryPolicyNotPublic } from './EcrRepositoryPolicyNotPublic';
import { EcrScanOnPush } from './EcrScanOnPush';

export const ECR_RULES: readonly Rule[] = [EcrImmutableTags, EcrScanOnPush, EcrKmsCmk, EcrLifecyclePolicy, EcrRepositoryPolicy, EcrRepositoryPolicyNotPublic];
