import { parseArgs } from 'node:util';
import { batchIdSchema, DEFAULT_TENANT, tenantIdSchema } from '@switchyard/contracts';
import { UserError } from '@switchyard/entrypoint';
import type { CliCommand } from '../cli-command';
import { loadCliConfig, withNats } from '../cli-session';
import { integerOption } from '../cli-values';
import { defaultBatchId } from '@switchyard/batches';
import { parseBatchInput } from '@switchyard/batches';
import { readInputFile, runBatch } from '../batch/run-batch';
import {
  refuseOptions,
  runServerSubcommand,
  serverSubcommands,
  type ServerSubcommand,
} from './batch-server-command';

/** At most this many line problems are printed; the count says how many there were. */
const problemsShown = 50;

/** Every option of `switchyard batch`; each subcommand takes some of them (see below). */
const batchOptions = {
  config: { type: 'string', short: 'c' },
  tenant: { type: 'string', short: 't', default: DEFAULT_TENANT },
  output: { type: 'string', short: 'o' },
  concurrency: { type: 'string' },
  'batch-id': { type: 'string' },
  'progress-every-ms': { type: 'string' },
  metadata: { type: 'string', short: 'm', multiple: true },
  watch: { type: 'boolean', short: 'w' },
  json: { type: 'boolean' },
  limit: { type: 'string', short: 'n' },
  errors: { type: 'string', short: 'e' },
  'poll-ms': { type: 'string' },
} as const;

/** The options `batch run` takes besides --config and --tenant. */
const runOptions = ['output', 'concurrency', 'batch-id', 'progress-every-ms'];

export const batchCommand: CliCommand = {
  name: 'batch',
  usage: `  batch submit <input.jsonl> [--tenant t] [--metadata k=v]...
                              Upload an OpenAI Batch API file (chat completions) and create a
                              batch that the batch runner service runs on the server, as
                              POST /v1/files and /v1/batches do. Prints the batch id.
  batch status <batch id> [--tenant t] [--watch] [--json]
                              Status, request counts, times and file ids; --watch follows it
                              until it ends with a progress bar (exit 1 unless completed).
  batch list [--tenant t] [--limit 20]
                              The tenant's batches, newest first.
  batch cancel <batch id> [--tenant t]
                              Cancel a validating or running batch.
  batch download <batch id> [--tenant t] [-o <output.jsonl>] [--errors <errors.jsonl>]
                              Write a finished batch's output file (standard output without
                              -o) and its error file.
  batch run <input.jsonl> -o <results.jsonl> [--concurrency 64] [--tenant t]
            [--batch-id id]
                              Run a batch from this machine instead (no batch runner needed):
                              sends the lines through the queue and writes OpenAI-shaped
                              result lines as they arrive, so it runs until the batch is
                              done. Run it again after an interruption to resume: nothing
                              is sent twice, answered lines are kept. All take --config.`,
  async run({ argv, env, out, err }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: batchOptions,
    });
    const [subcommand, inputPath, ...extra] = positionals;
    const tenant = values.tenant;
    const foreignOptions = (allowed: readonly string[]) =>
      Object.keys(values).filter((name) => !['config', 'tenant', ...allowed].includes(name));
    if (subcommand !== undefined && subcommand in serverSubcommands) {
      const spec = serverSubcommands[subcommand as ServerSubcommand];
      const args = inputPath === undefined ? [] : [inputPath, ...extra];
      if (args.length !== spec.args) return 2;
      refuseOptions(subcommand, foreignOptions(spec.options));
      checkTenant(tenant);
      const config = await loadCliConfig(values.config, env);
      return runServerSubcommand(subcommand as ServerSubcommand, args[0] ?? '', values, config, {
        out,
        err,
      });
    }
    if (subcommand !== 'run' || inputPath === undefined || extra.length > 0) return 2;
    refuseOptions('run', foreignOptions(runOptions));
    if (values.output === undefined) throw new UserError('batch run needs -o <results.jsonl>');
    const concurrency = integerOption(values.concurrency ?? '64', '--concurrency', {
      max: 10_000,
    });
    const progressEveryMs = integerOption(
      values['progress-every-ms'] ?? '5000',
      '--progress-every-ms',
    );
    checkTenant(tenant);
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

/** A UserError unless `tenant` is a valid tenant id. */
function checkTenant(tenant: string): void {
  if (!tenantIdSchema.safeParse(tenant).success) {
    throw new UserError(`--tenant must be 1 to 64 characters of A-Z a-z 0-9 _ -, got "${tenant}"`);
  }
}
