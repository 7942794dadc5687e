/**
 * The registry of `mlflow-infra` subcommands. Add one import and one entry per command module.
 */
import { Command } from '../command';
import { dbCommands } from './db';

export const commands: Command[] = [
  ...dbCommands,
];
