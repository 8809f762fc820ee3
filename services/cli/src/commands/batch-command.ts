import { parseArgs } from 'node:util';
import { batchIdSchema, DEFAULT_TENANT, tenantIdSchema } from '@switchyard/contracts';
import { UserError } from '@switchyard/entrypoint';
import type { CliCommand } from '../cli-command';
import { loadCliConfig, withNats } from '../cli-session';
import { integerOption } from '../cli-values';
import { defaultBatchId } from '@switchyard/batches';
import { parseBatchInput } from '@switchyard/batches';
import { readInputFile, runBatch } from '../batch/run-batch';

/** At most this many line problems are printed; the count says how many there were. */
const problemsShown = 50;

export const batchCommand: CliCommand = {
  name: 'batch',
  usage: `  batch run <input.jsonl> -o <results.jsonl> [--concurrency 64] [--tenant t]
            [--batch-id id] [--config <file>]
                              Run an OpenAI Batch API file (chat completions) through the
                              queue and write OpenAI-shaped result lines as they arrive. Run
                              the same command again after an interruption to resume: nothing
                              is sent twice, answered lines are kept.`,
  async run({ argv, env, out, err }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        output: { type: 'string', short: 'o' },
        concurrency: { type: 'string', default: '64' },
        tenant: { type: 'string', short: 't', default: DEFAULT_TENANT },
        'batch-id': { type: 'string' },
        'progress-every-ms': { type: 'string', default: '5000' },
      },
    });
    const [subcommand, inputPath, ...extra] = positionals;
    if (subcommand !== 'run' || inputPath === undefined || extra.length > 0) return 2;
    if (values.output === undefined) throw new UserError('batch run needs -o <results.jsonl>');
    const concurrency = integerOption(values.concurrency, '--concurrency', { max: 10_000 });
    const progressEveryMs = integerOption(values['progress-every-ms'], '--progress-every-ms');
    const tenant = values.tenant;
    if (!tenantIdSchema.safeParse(tenant).success) {
      throw new UserError(
        `--tenant must be 1 to 64 characters of A-Z a-z 0-9 _ -, got "${tenant}"`,
      );
    }
    const given = values['batch-id'];
    if (given !== undefined && !batchIdSchema.safeParse(given).success) {
      throw new UserError(
        `--batch-id must be 1 to 128 characters of A-Z a-z 0-9 _ -, got "${given}"`,
      );
    }
    const config = await loadCliConfig(values.config, env);
    const input = readInputFile(inputPath);
    const batchId = given ?? defaultBatchId(tenant, input);
    const { requests, problems } = parseBatchInput(input.toString('utf8'), {
      batchId,
      tenant,
      models: new Set(Object.keys(config.models)),
    });
    if (problems.length > 0) {
      for (const problem of problems.slice(0, problemsShown)) {
        err.write(`${inputPath}:${problem.line}: ${problem.message}\n`);
      }
      const more = problems.length - problemsShown;
      err.write(
        `${more > 0 ? `… and ${more} more. ` : ''}${problems.length} problem${problems.length === 1 ? '' : 's'} in ${inputPath}; nothing was submitted.\n`,
      );
      return 1;
    }
    return withNats(config, 'switchyard-cli-batch', (nc) =>
      runBatch(nc, {
        batchId,
        tenant,
        requests,
        outputPath: values.output as string,
        concurrency,
        config,
        out,
        err,
        progressEveryMs,
      }),
    );
  },
};
