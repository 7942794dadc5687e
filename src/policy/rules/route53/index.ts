import { Rule } from '../../types';
import { Route53RecordTargets } from './Route53RecordTargets';
import { Route53ZoneDnssecAndLogging } from './Route53ZoneDnssecAndLogging';

export const ROUTE53_RULES: readonly Rule[] = [Route53RecordTargets, Route53ZoneDnssecAndLogging];
