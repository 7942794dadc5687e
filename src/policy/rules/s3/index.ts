import { Rule } from '../../types';
import { S3BucketAccessLogged } from './S3BucketAccessLogged';
import { S3BucketCorsRestricted } from './S3BucketCorsRestricted';
import { S3BucketDnsCompliantName } from './S3BucketDnsCompliantName';
import { S3BucketEncrypted } from './S3BucketEncrypted';
import { S3BucketKmsCmk } from './S3BucketKmsCmk';
import { S3BucketLifecycle } from './S3BucketLifecycle';
import { S3BucketMfaDeleteNotDisabled } from './S3BucketMfaDeleteNotDisabled';
import { S3BucketNoPublicAcl } from './S3BucketNoPublicAcl';
import { S3BucketNoWebsite } from './S3BucketNoWebsite';
import { S3BucketOwnerEnforced } from './S3BucketOwnerEnforced';
import { S3BucketPolicyNotPublic } from './S3BucketPolicyNotPublic';
import { S3BucketPublicAccessBlocked } from './S3BucketPublicAccessBlocked';
import { S3BucketReplicated } from './S3BucketReplicated';
import { S3BucketTlsOnly } from './S3BucketTlsOnly';
import { S3BucketVersioned } from './S3BucketVersioned';

export const S3_RULES: readonly Rule[] = [
  S3BucketEncrypted,
  S3BucketKmsCmk,
  S3BucketVersioned,
  S3BucketPublicAccessBlocked,
  S3BucketTlsOnly,
  S3BucketAccessLogged,
  S3BucketOwnerEnforced,
  S3BucketPolicyNotPublic,
  S3BucketNoPublicAcl,
  S3BucketLifecycle,
  S3BucketReplicated,
  S3BucketMfaDeleteNotDisabled,
  S3BucketDnsCompliantName,
  S3BucketNoWebsite,
  S3BucketCorsRestricted,
];
