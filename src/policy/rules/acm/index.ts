import { Rule } from '../../types';
import { AcmCertificateValidated } from './AcmCertificateValidated';
import { AcmCreateBeforeDestroy } from './AcmCreateBeforeDestroy';
import { AcmNoWildcard } from './AcmNoWildcard';
import { AcmTransparencyLogging } from './AcmTransparencyLogging';

export const ACM_RULES: readonly Rule[] = [AcmCreateBeforeDestroy, AcmTransparencyLogging, AcmNoWildcard, AcmCertificateValidated];
