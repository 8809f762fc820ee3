export const usage = `Usage: switchyard <command> [options]

Commands:
  up [--config <file>]        Start the local stack: checks the config, then uses NATS and
                              Redis at NATS_URL / REDIS_URL (default localhost), starting
                              nats-server and redis-server from PATH when none answers.
  config check [file]         Validate a config file and print its model map and warnings.

Options:
  -c, --config <file>         The config file (default ./config.yaml, else the demo config).
  -h, --help                  Show this help.

Environment: NATS_URL, REDIS_URL, LOG_LEVEL, and the variables your config names with
os.environ/VAR.
`;
