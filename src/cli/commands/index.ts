/**
 * The registry of `mlflow-infra` subcommands. Add one import and one entry per command module.
 */
import { Command } from '../command';
import { validateCommand } from './validate';
import { dbCommands } from './db';
import { planReviewCommands } from './review-plan';
import { migrateCommands } from './migrate';
import { checkCommand } from './check';
import { rehearseCommand } from './rehearse';

export const commands: Command[] = [
  validateCommand,
  ...planReviewCommands,
  ...dbCommands,
  ...migrateCommands,
  checkCommand,
  rehearseCommand,
];
