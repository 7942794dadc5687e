import { Rule } from '../../types';
import { NoHardcodedSecrets } from './NoHardcodedSecrets';
import { ProviderDefaultTags } from './ProviderDefaultTags';

export const GENERAL_RULES: readonly Rule[] = [NoHardcodedSecrets, ProviderDefaultTags];
