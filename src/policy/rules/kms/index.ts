import { Rule } from '../../types';
import { KmsKeyDeletionWindow } from './KmsKeyDeletionWindow';
import { KmsKeyEnabled } from './KmsKeyEnabled';
import { KmsKeyPolicy } from './KmsKeyPolicy';
import { KmsKeyRotation } from './KmsKeyRotation';

export const KMS_RULES: readonly Rule[] = [KmsKeyRotation, KmsKeyEnabled, KmsKeyPolicy, KmsKeyDeletionWindow];
