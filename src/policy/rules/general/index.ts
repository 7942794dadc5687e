import { Rule } from '../../types';
import { NoHardcodedSecrets } from './NoHardcodedSecrets';
import { NoCredentialsInUris } from './NoCredentialsInUris';
import { NoSecretLikeTagValues } from './NoSecretLikeTagValues';
import { ProviderDefaultTags } from './ProviderDefaultTags';

export const GENERAL_RULES: readonly Rule[] = [NoHardcodedSecrets, ProviderDefaultTags, NoCredentialsInUris, NoSecretLikeTagValues];
