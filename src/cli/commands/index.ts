/**
 * The registry of `mlflow-infra` subcommands. Add one import and one entry per command module.
 */
import { Command } from '../command';
import { validateCommand } from './validate';
import { dbCommands } from './db';
import { reviewPlanCommand } from './review-plan';
import { planCommand } from './plan';
import { driftCommand } from './drift';
import { migrateCommands } from './migrate';
import { checkCommand } from './check';
import { applyCommand } from './apply';
import { rehearseCommand } from './rehearse';

export const commands: Command[] = [
  validateCommand,
  reviewPlanCommand,
  planCommand,
  driftCommand,
  applyCommand,
  ...dbCommands,
  ...migrateCommands,
  checkCommand,
  rehearseCommand,
];
