import type { CliCommand } from '../cli-command';
import { batchCommand } from './batch-command';
import { configCommand } from './config-command';
import { dlqCommand } from './dlq-command';
import { keysCommand } from './keys-command';
import { natsCommand } from './nats-command';
import { spendCommand } from './spend-command';
import { statusCommand } from './status-command';
import { upCommand } from './up-command';

/** Every `switchyard` command, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [
  upCommand,
  configCommand,
  statusCommand,
  keysCommand,
  dlqCommand,
  batchCommand,
  spendCommand,
  natsCommand,
];
