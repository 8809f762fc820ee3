import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { NatsConnection } from '@nats-io/nats-core';
import { ConnectionError, Switchyard, SwitchyardError } from '@switchyard/client';
import type { SwitchyardConfig } from '@switchyard/config';
import { UserError } from '@switchyard/entrypoint';
import { ResultCollector } from './batch-collector';
import { LineAppender, answeredCustomIds, readJournal } from './batch-files';
import type { BatchRequest } from '@switchyard/batches';
import { submitErrorLine } from '@switchyard/batches';
import { ProgressReporter } from './batch-progress';
import { findPublishedJobs } from './published-jobs';
import { runInTurns } from './run-in-turns';

/** A validated batch run: what to submit and where the results go. */
export interface BatchRun {
  batchId: string;
  tenant: string;
  requests: readonly BatchRequest[];
  outputPath: string;
  /** Requests submitted and not yet answered, at most. */
  concurrency: number;
  config: SwitchyardConfig;
  out: Writable;
  err: Writable & { isTTY?: boolean };
  /** How often a progress line is printed when stderr is not a terminal. @defaultValue 5_000 */
  progressEveryMs?: number;
}

const publishAttempts = 5;

/** The journal of acknowledged publishes beside the results file. */
export function journalPathFor(outputPath: string): string {
  return `${outputPath}.submitted`;
}

async function submitWithRetry(
  client: Switchyard,
  run: BatchRun,
  request: BatchRequest,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.batches.submit(run.batchId, [request.job]);
      return;
    } catch (error) {
      if (!(error instanceof ConnectionError) || attempt >= publishAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

/**
 * The most publishers started in one turn of the event loop. A publisher runs until its first
 * publish is under way before the next one starts, and publishes leave at the end of a turn:
 * started all at once, 10,000 publishers sent nothing until every one of them had built its
 * job and written its journal line (about a second on a busy machine) while the workers waited.
 */
const publishersPerTurn = 256;

/**
 * Runs a batch to the end: skips requests already in the results file, collects results
 * already stored in LLM_RESULTS, publishes the rest (at most `concurrency` unanswered at
 * once), and appends each answer to the results file as it arrives. Resolves to the exit code.
 *
 * Never publishes a request twice: one acknowledged in the journal is only awaited; one whose
 * publish began but was not acknowledged (the run died in between) is looked for in the jobs
 * and dead-letter streams first, and awaited if found; the rest go out under their
 * deterministic job id, which JetStream also deduplicates within its window.
 */
export async function runBatch(nc: NatsConnection, run: BatchRun): Promise<number> {
  const journalPath = journalPathFor(run.outputPath);
  const journal = readJournal(journalPath);
  if (journal.batchId !== undefined && journal.batchId !== run.batchId) {
    throw new UserError(
      `${run.outputPath} holds results of batch ${journal.batchId}, not ${run.batchId} (another input, --tenant or --batch-id); choose another output file`,
    );
  }
  const answered = answeredCustomIds(run.outputPath);
  const pending = run.requests.filter((request) => !answered.has(request.customId));
  const output = new LineAppender(run.outputPath);
  const journalFile = new LineAppender(journalPath);
  if (journal.batchId === undefined) journalFile.append({ batch_id: run.batchId });
  const collector = new ResultCollector(pending, output);
  const progress = new ProgressReporter(
    run.err,
    () => ({
      total: run.requests.length,
      alreadyDone: run.requests.length - pending.length,
      succeeded: collector.succeeded,
      failed: collector.failed,
    }),
    run.progressEveryMs,
  );
  const { nats } = run.config.switchyard;
  const client = new Switchyard({
    nc,
    tenant: run.tenant,
    subjectRoot: nats.subjectRoot,
    streamPrefix: nats.streamPrefix,
    models: Object.keys(run.config.models),
  });
  const stopReading = new AbortController();
  const ticker = setInterval(() => progress.tick(), 200);
  try {
    const uncertain = pending.filter(
      (r) => journal.publishing.has(r.customId) && !journal.customIds.has(r.customId),
    );
    const alreadyPublished =
      uncertain.length === 0
        ? new Set<string>()
        : await findPublishedJobs(
            nc,
            { subjectRoot: nats.subjectRoot, streamPrefix: nats.streamPrefix, tenant: run.tenant },
            new Set(uncertain.map((r) => r.jobId)),
          );
    let lastSeq = 0;
    if (pending.length > 0) {
      for await (const result of client.batches.results(run.batchId, { follow: false })) {
        collector.accept(result);
        lastSeq = result.seq;
      }
    }
    const reading = (async () => {
      if (collector.remaining === 0) return;
      const results = client.batches.results(run.batchId, {
        fromSeq: lastSeq + 1,
        signal: stopReading.signal,
      });
      for await (const result of results) {
        collector.accept(result);
        if (collector.remaining === 0) return;
      }
    })();
    const toPublish = pending.filter(
      (request) =>
        collector.isWaiting(request.jobId) &&
        !journal.customIds.has(request.customId) &&
        !alreadyPublished.has(request.jobId),
    );
    let next = 0;
    const publishing = runInTurns(
      Math.min(run.concurrency, toPublish.length),
      publishersPerTurn,
      async () => {
        while (next < toPublish.length) {
          const request = toPublish[next++] as BatchRequest;
          // Written before the publish can leave: a request published without this line
          // could be published twice when the run is resumed.
          journalFile.append({ publishing: request.customId });
          await journalFile.written();
          try {
            await submitWithRetry(client, run, request);
          } catch (error) {
            if (!(error instanceof SwitchyardError) || error instanceof ConnectionError)
              throw error;
            collector.fail(
              request,
              submitErrorLine(request.customId, request.jobId, error.code, error.message),
            );
            continue;
          }
          journalFile.append(JSON.stringify(request.customId));
          await collector.answered(request.jobId);
        }
      },
    );
    await Promise.all([collector.finished, publishing, reading]);
  } catch (error) {
    if (error instanceof ConnectionError) {
      throw new UserError(
        `publishing failed (${error.message}); run the same command again to resume`,
      );
    }
    throw error;
  } finally {
    stopReading.abort();
    clearInterval(ticker);
    progress.finish();
    try {
      output.close();
    } finally {
      journalFile.close();
    }
  }
  const earlier = run.requests.length - pending.length;
  run.out.write(
    `Batch ${run.batchId}: ${run.requests.length} requests, ${collector.succeeded} succeeded, ${collector.failed} failed in this run` +
      `${earlier > 0 ? `, ${earlier} answered in an earlier run` : ''}. Results in ${run.outputPath}\n`,
  );
  return 0;
}

/** Reads the input file; a missing or unreadable one is a UserError. */
export function readInputFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
