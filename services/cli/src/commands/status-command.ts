import { parseArgs } from 'node:util';
import type { CliCommand } from '../cli-command';
import { loadCliConfig, withNats, withRedis } from '../cli-session';
import { integerOption } from '../cli-values';
import { gatherStatus } from '../status/gather-status';
import { statusReport } from '../status/status-output';

export const statusCommand: CliCommand = {
  name: 'status',
  usage: `  status [--config <file>] [--wait-ms 1000]
                              The running pools and their jobs in flight (NATS service
                              discovery, answers within --wait-ms), each model queue's
                              pending / ack-pending / redelivered jobs, and each deployment's
                              state (healthy, or cooling down until when).`,
  async run({ argv, env, out }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        'wait-ms': { type: 'string', default: '1000' },
      },
    });
    if (positionals.length > 0) return 2;
    const discoveryMs = integerOption(values['wait-ms'], '--wait-ms', { min: 50, max: 60_000 });
    const config = await loadCliConfig(values.config, env);
    const status = await withNats(config, 'switchyard-cli-status', (nc) =>
      withRedis(config, (redis) => gatherStatus(nc, redis, config, { discoveryMs })),
    );
    out.write(`${statusReport(status, Date.now()).join('\n')}\n`);
    return 0;
  },
};
