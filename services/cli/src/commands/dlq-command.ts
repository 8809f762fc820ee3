import { parseArgs } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { tenantIdSchema } from '@switchyard/contracts';
import { UserError } from '@switchyard/entrypoint';
import type { CliCommand } from '../cli-command';
import { loadCliConfig, withNats } from '../cli-session';
import { integerOption } from '../cli-values';
import { listDlq, replayDlq, type DlqContext } from '../dlq/dlq-actions';

export const dlqCommand: CliCommand = {
  name: 'dlq',
  usage: `  dlq list [--model m] [--tenant t] [--limit 100]
                              The stored dead letters, oldest first.
  dlq replay <seq|job id> [--model m]
                              Send a dead letter's job again to the model it failed on (a job
                              id replays that job's newest dead letter). Both take --config.`,
  async run({ argv, env, out }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        model: { type: 'string', short: 'm' },
        tenant: { type: 'string', short: 't' },
        limit: { type: 'string', short: 'n', default: '100' },
      },
    });
    const [subcommand, ...rest] = positionals;
    const valid =
      (subcommand === 'list' && rest.length === 0) ||
      (subcommand === 'replay' && rest.length === 1 && values.tenant === undefined);
    if (!valid) return 2;
    if (values.tenant !== undefined && !tenantIdSchema.safeParse(values.tenant).success) {
      throw new UserError(
        `--tenant must be 1 to 64 characters of A-Z a-z 0-9 _ -, got "${values.tenant}"`,
      );
    }
    const limit = integerOption(values.limit, '--limit', { max: 10_000 });
    const filter = {
      ...(values.model === undefined ? {} : { model: values.model }),
      ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
    };
    const config = await loadCliConfig(values.config, env);
    return withNats(config, 'switchyard-cli-dlq', (nc) => {
      const context: DlqContext = {
        js: jetstream(nc),
        location: {
          subjectRoot: config.switchyard.nats.subjectRoot,
          streamPrefix: config.switchyard.nats.streamPrefix,
        },
        out,
      };
      if (subcommand === 'list') return listDlq(context, { ...filter, limit });
      return replayDlq(context, rest[0] ?? '', filter);
    });
  },
};
