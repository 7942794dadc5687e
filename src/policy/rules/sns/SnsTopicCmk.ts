import { defineRule, fail, pass } from '../../types';

export const SnsTopicCmk = defineRule({
  id: 'MLF-SNS-1',
  name: 'SnsTopicCmk',
  severity: 'high',
  controls: ['SNS-KMS'],
  scanners: {
    checkov: ['CKV_AWS_26'],
    trivy: ['AVD-AWS-0095', 'AVD-AWS-0136'],
    kics: ['28545147-2fc6-42d5-a1f9-cf226658e591', 'b1a72f66-2236-4f3b-87ba-0da1b366956f'],
    terrascan: ['AC_AWS_0502'],
  },
  resourceTypes: ['aws_sns_topic'],
  info: 'kms_master_key_id is a customer-managed key (not alias/aws/sns).',
  explanation: 'The AWS-managed SNS key cannot grant CloudWatch, so alarms to a topic encrypted with it are dropped; use the stack key.',
  evaluate(topic) {
    const key = topic.config.kms_master_key_id;
    if (typeof key !== 'string' || key === '') return fail('kms_master_key_id is not set');
    return key.includes('alias/aws/sns') ? fail('kms_master_key_id is the AWS-managed alias/aws/sns') : pass();
  },
});
