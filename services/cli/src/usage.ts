import { commands } from './commands';

export const usage = `Usage: switchyard <command> [options]

Commands:
${commands.map((command) => command.usage).join('\n')}

Options:
  -h, --help                  Show this help.

Environment: NATS_URL, REDIS_URL, LOG_LEVEL, and the variables your config names with
os.environ/VAR.
`;
