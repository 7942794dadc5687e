import { Rule } from '../../types';
import { WafAllowsMlflowClients } from './WafAllowsMlflowClients';
import { WafHasRules } from './WafHasRules';
import { WafKnownBadInputs } from './WafKnownBadInputs';
import { WafLogDestinationName } from './WafLogDestinationName';
import { WafLogging } from './WafLogging';
import { WafRateBasedRule } from './WafRateBasedRule';
import { WafRuleActions } from './WafRuleActions';
import { WafVisibilityConfig } from './WafVisibilityConfig';

export const WAF_RULES: readonly Rule[] = [
  WafKnownBadInputs,
  WafHasRules,
  WafRuleActions,
  WafLogging,
  WafLogDestinationName,
  WafRateBasedRule,
  WafVisibilityConfig,
  WafAllowsMlflowClients,
];
