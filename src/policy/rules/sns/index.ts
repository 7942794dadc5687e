import { Rule } from '../../types';
import { SnsAlarmKeyUsableByCloudWatch } from './SnsAlarmKeyUsableByCloudWatch';
import { SnsTopicCmk } from './SnsTopicCmk';
import { SnsTopicPolicyNotPublic } from './SnsTopicPolicyNotPublic';

export const SNS_RULES: readonly Rule[] = [SnsTopicCmk, SnsTopicPolicyNotPublic, SnsAlarmKeyUsableByCloudWatch];
