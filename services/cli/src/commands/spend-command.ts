import { parseArgs } from 'node:util';
import { querySpend } from '@switchyard/client';
import { createSubjects, formatIssues, spendQuerySchema } from '@switchyard/contracts';
import { UserError } from '@switchyard/entrypoint';
import type { CliCommand } from '../cli-command';
import { loadCliConfig, withNats } from '../cli-session';
import { spendTable } from '../spend/spend-table';

export const spendCommand: CliCommand = {
  name: 'spend',
  usage: `  spend [--by model] [--since 7d] [--until 1d] [--tenant t] [--json]
                              Spend and tokens from metering, grouped by model, tenant, key,
                              tag, deployment or provider, over whole hours (--since and
                              --until: epoch ms or 30m, 24h, 7d, 2w ago). Takes --config.`,
  async run({ argv, env, out }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        by: { type: 'string', short: 'b', default: 'model' },
        since: { type: 'string', short: 's', default: '7d' },
        until: { type: 'string', short: 'u' },
        tenant: { type: 'string', short: 't' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length > 0) return 2;
    const time = (value: string) => (/^\d+$/.test(value) ? Number(value) : value);
    const query = spendQuerySchema.safeParse({
      by: values.by,
      since: time(values.since),
      ...(values.until === undefined ? {} : { until: time(values.until) }),
      ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
    });
    if (!query.success) throw new UserError(`spend: ${formatIssues(query.error.issues)}`);
    const config = await loadCliConfig(values.config, env);
    const subjects = createSubjects(config.switchyard.nats.subjectRoot);
    const answer = await withNats(config, 'switchyard-cli-spend', async (nc) => {
      try {
        return await querySpend(nc, subjects, query.data);
      } catch (error) {
        throw new UserError(`spend: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    out.write(values.json ? `${JSON.stringify(answer)}\n` : `${spendTable(answer).join('\n')}\n`);
    return 0;
  },
};
