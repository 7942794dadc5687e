import { defineRule, fail, pass } from '../../types';
import { blocks, firstBlock } from '../../values';

const PUBLIC_ACLS = ['public-read', 'public-read-write', 'authenticated-read', 'website'];
const PUBLIC_GROUPS = ['http://acs.amazonaws.com/groups/global/AllUsers', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers'];

export const S3BucketNoPublicAcl = defineRule({
  id: 'MLF-S3-9',
  name: 'S3BucketNoPublicAcl',
  severity: 'high',
  controls: ['S3-NO-PUBLIC-ACL'],
  scanners: {
    checkov: ['CKV_AWS_20', 'CKV_AWS_57'],
    trivy: ['AVD-AWS-0092'],
    kics: ['38c5ee0d-7f22-4260-ab72-5073048df100', '57b9893d-33b1-4419-bcea-a717ea87e139'],
    terrascan: ['AC_AWS_0210..0213 / 0215 / 0496'],
  },
  resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_acl'],
  info: 'No public canned ACL and no AllUsers/AuthenticatedUsers grant.',
  explanation: 'Public ACLs expose objects regardless of policies; with BucketOwnerEnforced ownership ACLs are disabled altogether.',
  evaluate(resource) {
    const acl = resource.config.acl;
    if (typeof acl === 'string' && PUBLIC_ACLS.includes(acl)) return fail(`acl is ${acl}`);
    const grants = [
      ...blocks(resource.config.grant),
      ...blocks(firstBlock(resource.config.access_control_policy)?.grant).map((g) => ({ ...g, ...firstBlock(g.grantee) })),
    ];
    const publicGrant = grants.find((g) => PUBLIC_GROUPS.includes(String(g.uri)));
    return publicGrant ? fail(`grant to ${String(publicGrant.uri)}`) : pass();
  },
});
