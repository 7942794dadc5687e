import { Rule } from '../../types';
import { EcsAwsvpcNetworkMode } from './EcsAwsvpcNetworkMode';
import { EcsContainerHealthCheck } from './EcsContainerHealthCheck';
import { EcsContainerInsights } from './EcsContainerInsights';
import { EcsContainerLogging } from './EcsContainerLogging';
import { EcsDropAllCapabilities } from './EcsDropAllCapabilities';
import { EcsEfsTransitEncryption } from './EcsEfsTransitEncryption';
import { EcsExecLogging } from './EcsExecLogging';
import { EcsFargatePlatformVersion } from './EcsFargatePlatformVersion';
import { EcsNoHostNamespaces } from './EcsNoHostNamespaces';
import { EcsNonEfsVolumes } from './EcsNonEfsVolumes';
import { EcsNonRootUser } from './EcsNonRootUser';
import { EcsNoPublicIp } from './EcsNoPublicIp';
import { EcsNoSecretsInEnvironment } from './EcsNoSecretsInEnvironment';
import { EcsNotPrivileged } from './EcsNotPrivileged';
import { EcsReadonlyRootFilesystem } from './EcsReadonlyRootFilesystem';
import { EcsSeparateRoles } from './EcsSeparateRoles';
import { EcsServiceRole } from './EcsServiceRole';
import { EcsServiceRunning } from './EcsServiceRunning';

export const ECS_RULES: readonly Rule[] = [
  EcsContainerInsights,
  EcsExecLogging,
  EcsFargatePlatformVersion,
  EcsNoPublicIp,
  EcsServiceRole,
  EcsServiceRunning,
  EcsReadonlyRootFilesystem,
  EcsNotPrivileged,
  EcsNoHostNamespaces,
  EcsSeparateRoles,
  EcsEfsTransitEncryption,
  EcsNonEfsVolumes,
  EcsAwsvpcNetworkMode,
  EcsNoSecretsInEnvironment,
  EcsNonRootUser,
  EcsContainerLogging,
  EcsDropAllCapabilities,
  EcsContainerHealthCheck,
];
