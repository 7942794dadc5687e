import { Rule } from '../../types';
import { ApiRoutesAuthorized } from './ApiRoutesAuthorized';
import { ApiStageAccessLogging } from './ApiStageAccessLogging';

export const APIGATEWAY_RULES: readonly Rule[] = [ApiRoutesAuthorized, ApiStageAccessLogging];
