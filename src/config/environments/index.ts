/** Every shipped environment, in synth order. `main.ts` builds one stack per entry. */
import { AnyEnvironmentConfig } from '../types';
import { apprunnerStaging } from './apprunner-staging';
import { production } from './production';
import { staging } from './staging';

export const environments: readonly AnyEnvironmentConfig[] = [staging, production, apprunnerStaging];
