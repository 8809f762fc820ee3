import type { SwitchyardConfig } from '@switchyard/config';
import { UserError } from '@switchyard/entrypoint';
import type { CliContext } from '../cli-command';
import { withNats } from '../cli-session';
import { integerOption } from '../cli-values';
import { metadataOption } from '../batch/batch-metadata';
import { findBatch, openBatchStores, type BatchStores } from '../batch/batch-stores';
import { batchListLines, batchStatusLines } from '../batch/batch-view';
import { cancelBatch } from '../batch/cancel-batch';
import { downloadBatch } from '../batch/download-batch';
import { submitBatch } from '../batch/submit-batch';
import { watchBatch } from '../batch/watch-batch';

/** The parsed options of `switchyard batch` that the server subcommands read. */
export interface BatchServerOptions {
  tenant: string;
  metadata?: string[];
  watch?: boolean;
  json?: boolean;
  limit?: string;
  output?: string;
  errors?: string;
  'poll-ms'?: string;
  'progress-every-ms'?: string;
}

/** The subcommands that work on the server's batches, and the arguments each takes. */
export const serverSubcommands = {
  submit: { args: 1, options: ['metadata'] },
  status: { args: 1, options: ['watch', 'json', 'poll-ms', 'progress-every-ms'] },
  list: { args: 0, options: ['limit'] },
  cancel: { args: 1, options: [] },
  download: { args: 1, options: ['output', 'errors'] },
} as const satisfies Record<string, { args: number; options: readonly string[] }>;

export type ServerSubcommand = keyof typeof serverSubcommands;

/**
 * Runs `batch submit|status|list|cancel|download` on the installation's files and batches
 * buckets over the CLI's admin connection, for `options.tenant`. Returns the exit code.
 */
export function runServerSubcommand(
  subcommand: ServerSubcommand,
  arg: string,
  options: BatchServerOptions,
  config: SwitchyardConfig,
  { out, err }: Pick<CliContext, 'out' | 'err'>,
): Promise<number> {
  const { tenant } = options;
  const limit = integerOption(options.limit ?? '20', '--limit', { max: 10_000 });
  const pollMs = integerOption(options['poll-ms'] ?? '1000', '--poll-ms');
  const progressEveryMs = integerOption(
    options['progress-every-ms'] ?? '5000',
    '--progress-every-ms',
  );
  const metadata = metadataOption(options.metadata ?? []);
  const act = async (stores: BatchStores): Promise<number> => {
    switch (subcommand) {
      case 'submit': {
        const { batches } = config.switchyard;
        const record = await submitBatch(stores, {
          tenant,
          inputPath: arg,
          metadata,
          maxFileBytes: batches.maxFileBytes,
          maxRequestsPerFile: batches.maxRequestsPerFile,
        });
        out.write(`${record.batch.id}\n`);
        err.write(
          `Uploaded ${arg} as ${record.batch.input_file_id}; batch ${record.batch.id} of tenant ${tenant} is ${record.batch.status}. Follow it: switchyard batch status ${record.batch.id} --watch\n`,
        );
        return 0;
      }
      case 'status': {
        const batch = options.watch
          ? await watchBatch({
              batches: stores.batches,
              tenant,
              batchId: arg,
              err,
              pollMs,
              progressEveryMs,
            })
          : (await findBatch(stores.batches, tenant, arg)).record.batch;
        out.write(
          options.json
            ? `${JSON.stringify(batch, null, 2)}\n`
            : `${batchStatusLines(batch).join('\n')}\n`,
        );
        return options.watch && batch.status !== 'completed' ? 1 : 0;
      }
      case 'list': {
        const page = await stores.batches.list(tenant, { limit });
        if (page.data.length === 0) {
          out.write(`No batches of tenant ${tenant}.\n`);
          return 0;
        }
        const lines = batchListLines(page.data.map((record) => record.batch));
        if (page.hasMore) lines.push(`… more than ${limit}; --limit shows more`);
        out.write(`${lines.join('\n')}\n`);
        return 0;
      }
      case 'cancel': {
        const { batch } = await cancelBatch(stores, tenant, arg);
        out.write(
          batch.status === 'cancelled'
            ? `Batch ${batch.id} is already cancelled.\n`
            : `Batch ${batch.id} is cancelling: the runner cancels its queued requests and ends it cancelled.\n`,
        );
        return 0;
      }
      case 'download': {
        await downloadBatch(stores, {
          tenant,
          batchId: arg,
          ...(options.output === undefined ? {} : { outputPath: options.output }),
          ...(options.errors === undefined ? {} : { errorsPath: options.errors }),
          out,
          err,
        });
        return 0;
      }
    }
  };
  return withNats(config, `switchyard-cli-batch-${subcommand}`, async (nc) =>
    act(await openBatchStores(nc, config)),
  );
}

/** A UserError for options given to a subcommand that does not take them. */
export function refuseOptions(subcommand: string, given: readonly string[]): void {
  if (given.length > 0) {
    throw new UserError(
      `batch ${subcommand} does not take ${given.map((name) => `--${name}`).join(', ')}`,
    );
  }
}
