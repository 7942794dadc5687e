import { secretLikeName, secretLikeValue } from '../../../config/secret-like';
import { ANY_RESOURCE, defineRule, fail, notApplicable, pass } from '../../types';
import { firstBlock, Json } from '../../values';

export const NoSecretLikeTagValues = defineRule({
  id: 'MLF-GEN-4',
  name: 'NoSecretLikeTagValues',
  severity: 'critical',
  controls: [],
  scanners: {},
  resourceTypes: ['provider.aws', ANY_RESOURCE],
  info: 'No tag (resource tags or the provider default_tags) is named like a secret (password, secret, token, api_key, private_key) or has a value that looks like a credential (access key, private key, token, URI with a password, random-looking string).',
  explanation:
    'Tags are not secret: they are in cdk.tf.json (committed), in the state, in every Describe/List call, in Cost Explorer and the Resource Groups Tagging API, and default_tags copy them onto every resource. Keep credentials in Secrets Manager and tag with names only.',
  evaluate(resource) {
    const tags = (resource.type === 'provider.aws' ? firstBlock(resource.config.default_tags)?.tags : resource.config.tags) as Json | undefined;
    if (typeof tags !== 'object' || tags === null) return notApplicable('no tags');
    const problems = Object.entries(tags).flatMap(([key, value]) => {
      if (typeof value !== 'string' || value === '') return [];
      if (secretLikeName(key)) return [`tag ${key} is named like a secret`];
      const why = secretLikeValue(value);
      return why ? [`tag ${key} holds ${why}`] : [];
    });
    return problems.length > 0 ? fail(problems.join('; ')) : pass();
  },
});
