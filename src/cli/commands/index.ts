/**
 * The registry of `mlflow-infra` subcommands. Add one import and one entry per command module.
 */
import { Command } from '../command';
import { dbCommands } from './db';
import { planReviewCommands } from './review-plan';

export const commands: Command[] = [
  ...planReviewCommands,
  ...dbCommands,
];
