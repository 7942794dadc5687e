import { Rule } from '../../types';
import { AlbAccessLogs } from './AlbAccessLogs';
import { AlbDeletionProtection } from './AlbDeletionProtection';
import { AlbDesyncMitigation } from './AlbDesyncMitigation';
import { AlbDropInvalidHeaders } from './AlbDropInvalidHeaders';
import { AlbInternal } from './AlbInternal';
import { AlbWafAssociated } from './AlbWafAssociated';
import { AlbWafManagedRuleGroups } from './AlbWafManagedRuleGroups';
import { EntranceAuthenticated } from './EntranceAuthenticated';
import { ListenerAuthenticatesFirst } from './ListenerAuthenticatesFirst';
import { ListenerAuthenticationSettings } from './ListenerAuthenticationSettings';
import { ListenerHttpRedirectsToHttps } from './ListenerHttpRedirectsToHttps';
import { ListenerRuleAuthenticated } from './ListenerRuleAuthenticated';
import { ListenerTlsPolicy } from './ListenerTlsPolicy';
import { TargetGroupBehindHttpsListener } from './TargetGroupBehindHttpsListener';
import { TargetGroupHealthCheck } from './TargetGroupHealthCheck';
import { TargetGroupHttp } from './TargetGroupHttp';

export const ALB_RULES: readonly Rule[] = [
  AlbAccessLogs,
  AlbDropInvalidHeaders,
  AlbDeletionProtection,
  AlbDesyncMitigation,
  AlbInternal,
  AlbWafAssociated,
  AlbWafManagedRuleGroups,
  ListenerHttpRedirectsToHttps,
  ListenerTlsPolicy,
  TargetGroupHealthCheck,
  TargetGroupBehindHttpsListener,
  TargetGroupHttp,
  ListenerAuthenticatesFirst,
  ListenerAuthenticationSettings,
  ListenerRuleAuthenticated,
  EntranceAuthenticated,
];
