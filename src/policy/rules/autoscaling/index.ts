import { Rule } from '../../types';
import { ScalingTargetBounds } from './ScalingTargetBounds';
import { ScalingTargetHasPolicy } from './ScalingTargetHasPolicy';

export const AUTOSCALING_RULES: readonly Rule[] = [ScalingTargetBounds, ScalingTargetHasPolicy];
