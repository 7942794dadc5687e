import { Rule } from '../../types';
import { AppRunnerConnectorSecurityGroups } from './AppRunnerConnectorSecurityGroups';
import { AppRunnerEgressViaVpc } from './AppRunnerEgressViaVpc';
import { AppRunnerEncryptionCmk } from './AppRunnerEncryptionCmk';
import { AppRunnerHealthCheck } from './AppRunnerHealthCheck';
import { AppRunnerIngressDecision } from './AppRunnerIngressDecision';
import { AppRunnerInstanceRole } from './AppRunnerInstanceRole';
import { AppRunnerMlflowAuth } from './AppRunnerMlflowAuth';
import { AppRunnerPublicWaf } from './AppRunnerPublicWaf';

export const APPRUNNER_RULES: readonly Rule[] = [
  AppRunnerEncryptionCmk,
  AppRunnerEgressViaVpc,
  AppRunnerIngressDecision,
  AppRunnerHealthCheck,
  AppRunnerInstanceRole,
  AppRunnerPublicWaf,
  AppRunnerConnectorSecurityGroups,
  AppRunnerMlflowAuth,
];
