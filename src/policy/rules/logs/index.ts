import { Rule } from '../../types';
import { AlarmActionsEnabled } from './AlarmActionsEnabled';
import { LogGroupKmsEncrypted } from './LogGroupKmsEncrypted';
import { LogGroupRetention } from './LogGroupRetention';

export const LOGS_RULES: readonly Rule[] = [LogGroupKmsEncrypted, LogGroupRetention, AlarmActionsEnabled];
