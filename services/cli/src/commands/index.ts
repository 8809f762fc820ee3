import type { CliCommand } from '../cli-command';
import { configCommand } from './config-command';
import { upCommand } from './up-command';

/** Every `switchyard` command, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [upCommand, configCommand];
