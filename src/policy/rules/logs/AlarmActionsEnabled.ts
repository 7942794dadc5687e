import { defineRule, fail, pass } from '../../types';
import { asBool, strings } from '../../values';

export const AlarmActionsEnabled = defineRule({
  id: 'MLF-LOGS-3',
  name: 'AlarmActionsEnabled',
  severity: 'low',
  controls: ['CW-ALARM-ACTIONS'],
  scanners: { checkov: ['CKV_AWS_319'] },
  resourceTypes: ['aws_cloudwatch_metric_alarm'],
  info: 'actions_enabled is not false and the alarm notifies someone (alarm_actions).',
  explanation: 'An alarm without actions changes state silently.',
  evaluate(alarm) {
    if (asBool(alarm.config.actions_enabled) === false) return fail('actions_enabled is false');
    return strings(alarm.config.alarm_actions).length > 0 ? pass() : fail('alarm_actions is empty');
  },
});
