/** Every shipped environment, in synth order. `main.ts` builds one stack per entry. */
import { EnvironmentConfig } from '../types';
import { production } from './production';
import { staging } from './staging';

export const environments: readonly EnvironmentConfig[] = [staging, production];
