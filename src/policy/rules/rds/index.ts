import { Rule } from '../../types';
import { RdsAutoMinorVersionUpgrade } from './RdsAutoMinorVersionUpgrade';
import { RdsBackupRetention } from './RdsBackupRetention';
import { RdsCaCertificate } from './RdsCaCertificate';
import { RdsClusterCmk } from './RdsClusterCmk';
import { RdsClusterForceSsl } from './RdsClusterForceSsl';
import { RdsClusterManagedPassword } from './RdsClusterManagedPassword';
import { RdsCopyTagsToSnapshot } from './RdsCopyTagsToSnapshot';
import { RdsDeletionProtection } from './RdsDeletionProtection';
import { RdsEngineVersion } from './RdsEngineVersion';
import { RdsEnhancedMonitoring } from './RdsEnhancedMonitoring';
import { RdsIamAuthentication } from './RdsIamAuthentication';
import { RdsInstanceForceSsl } from './RdsInstanceForceSsl';
import { RdsLogExports } from './RdsLogExports';
import { RdsMultiAz } from './RdsMultiAz';
import { RdsNoExplicitDefaultPort } from './RdsNoExplicitDefaultPort';
import { RdsNotPublic } from './RdsNotPublic';
import { RdsPerformanceInsights } from './RdsPerformanceInsights';
import { RdsPerformanceInsightsKms } from './RdsPerformanceInsightsKms';
import { RdsQueryLogging } from './RdsQueryLogging';
import { RdsServerlessV2Bounds } from './RdsServerlessV2Bounds';
import { RdsStorageEncrypted } from './RdsStorageEncrypted';

export const RDS_RULES: readonly Rule[] = [
  RdsStorageEncrypted,
  RdsNotPublic,
  RdsIamAuthentication,
  RdsDeletionProtection,
  RdsBackupRetention,
  RdsLogExports,
  RdsAutoMinorVersionUpgrade,
  RdsMultiAz,
  RdsEnhancedMonitoring,
  RdsPerformanceInsights,
  RdsPerformanceInsightsKms,
  RdsCopyTagsToSnapshot,
  RdsCaCertificate,
  RdsInstanceForceSsl,
  RdsClusterForceSsl,
  RdsQueryLogging,
  RdsNoExplicitDefaultPort,
  RdsEngineVersion,
  RdsClusterCmk,
  RdsClusterManagedPassword,
  RdsServerlessV2Bounds,
];
