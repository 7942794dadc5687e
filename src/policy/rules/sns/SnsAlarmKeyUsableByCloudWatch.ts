import { defineRule, fail, notApplicable, pass, unknown } from '../../types';
import { actionMatches, isAllow, parsePolicy, strings } from '../../values';

const NEEDED = ['kms:Decrypt', 'kms:GenerateDataKey'];

export const SnsAlarmKeyUsableByCloudWatch = defineRule({
  id: 'MLF-SNS-3',
  name: 'SnsAlarmKeyUsableByCloudWatch',
  severity: 'high',
  controls: ['SNS-KMS'],
  scanners: {},
  resourceTypes: ['aws_sns_topic'],
  info: "A topic that alarms notify is encrypted with a key whose policy grants cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*.",
  explanation: 'Without the grant CloudWatch cannot publish to the encrypted topic and alarms are dropped silently (AWS SNS docs, sns-key-management#compatibility-with-aws-services).',
  evaluate(topic, stack) {
    const alarms = stack.ofType('aws_cloudwatch_metric_alarm').filter((a) => stack.resolve([a.config.alarm_actions, a.config.ok_actions, a.config.insufficient_data_actions]).some((r) => r.address === topic.address));
    if (alarms.length === 0) return notApplicable('no alarm of this stack notifies the topic');
    const key = stack.target(topic.config.kms_master_key_id, 'aws_kms_key');
    if (!key) return unknown('the topic key is not a key of this stack');
    const parsed = parsePolicy(key.config.policy, 'key policy');
    if (parsed.kind !== 'parsed') return fail(`${key.address} has no readable policy granting CloudWatch`);
    const granted = parsed.statements
      .filter((s) => isAllow(s) && s.Principal && typeof s.Principal === 'object' && strings((s.Principal as Record<string, unknown>).Service).includes('cloudwatch.amazonaws.com'))
      .flatMap((s) => strings(s.Action));
    const missing = NEEDED.filter((n) => !granted.some((g) => actionMatches(g, n)));
    return missing.length > 0 ? fail(`${key.address} does not grant cloudwatch.amazonaws.com ${missing.join(', ')}`) : pass();
  },
});
