import { parseArgs } from 'node:util';
import { loggerFromEnv, UserError } from '@switchyard/entrypoint';
import type { CliCommand } from '../cli-command';
import { up } from './up';

function portOption(value: string, option: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65_535)) {
    throw new UserError(`${option} must be a port number from 1 to 65535, got "${value}"`);
  }
  return port;
}

export const upCommand: CliCommand = {
  name: 'up',
  usage: `  up [--config <file>] [--demo] [--port 4000] [--host 127.0.0.1] [--sim-port 4010]
                              Start the whole stack on this machine (what npm start runs):
                              NATS and Redis (NATS_URL / REDIS_URL, else started from PATH,
                              else in Docker), the worker pools, the fallback router, metering,
                              the batch runner and the gateway on --host:--port. Without ./config.yaml (or with
                              --demo) the demo config runs against the bundled provider
                              simulator on --sim-port. Without a master key the gateway runs
                              with --insecure and only on 127.0.0.1. Ctrl-C stops it all.`,
  async run({ argv, env, out }) {
    const { values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        demo: { type: 'boolean', default: false },
        port: { type: 'string', short: 'p', default: '4000' },
        host: { type: 'string', default: '127.0.0.1' },
        'sim-port': { type: 'string', default: '4010' },
      },
    });
    return up({
      configPath: values.config,
      demo: values.demo,
      env,
      log: loggerFromEnv('switchyard', env),
      out,
      pretty: process.stdout.isTTY,
      gatewayPort: portOption(values.port, '--port'),
      gatewayHost: values.host,
      simulatorPort: portOption(values['sim-port'], '--sim-port'),
    });
  },
};
