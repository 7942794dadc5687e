import { defineRule, fail, pass } from '../../types';
import { firstBlock } from '../../values';

export const ProviderDefaultTags = defineRule({
  id: 'MLF-GEN-2',
  name: 'ProviderDefaultTags',
  severity: 'info',
  controls: ['TAGS'],
  scanners: { kics: ['e38a8e0a-b88b-4902-b3fe-b0fcb17d5c10'] },
  resourceTypes: ['provider.aws'],
  info: 'The AWS provider sets default_tags (Project, Environment, ManagedBy).',
  explanation: 'Default tags reach every taggable resource, so cost and ownership reports never miss one.',
  evaluate(provider) {
    const tags = firstBlock(provider.config.default_tags)?.tags as Record<string, unknown> | undefined;
    const missing = ['Project', 'Environment', 'ManagedBy'].filter((t) => !tags || !(t in tags));
    return missing.length > 0 ? fail(`default_tags lack ${missing.join(', ')}`) : pass();
  },
});
