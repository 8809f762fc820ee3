import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { finalBatchStatuses, type BatchObject, type BatchStore } from '@switchyard/batches';
import cliProgress from 'cli-progress';
import { findBatch } from './batch-stores';
import { batchProgressLine, etaText, type WatchStart } from './batch-view';

/** What {@link watchBatch} follows and where it draws. */
export interface BatchWatch {
  batches: BatchStore;
  tenant: string;
  batchId: string;
  /** Standard error: a progress bar when it is a terminal, progress lines otherwise. */
  err: Writable & { isTTY?: boolean };
  /** How often the batch is read again. */
  pollMs: number;
  /** Off a terminal: at most one line per this while only the counts change. */
  progressEveryMs: number;
}

/** Draws a batch's progress as it is read again and again. */
interface ProgressView {
  show(batch: BatchObject): void;
  end(): void;
}

/**
 * A progress line whenever the status changes, and while only the counts change at most one
 * every `everyMs` (logs, CI).
 */
function lineView(err: Writable, everyMs: number): ProgressView {
  let lastStatus: string | undefined;
  let lastLine: string | undefined;
  let lastAt = 0;
  return {
    show(batch) {
      const line = batchProgressLine(batch);
      const now = Date.now();
      const due = batch.status !== lastStatus || (line !== lastLine && now - lastAt >= everyMs);
      if (!due) return;
      err.write(`${line}\n`);
      lastStatus = batch.status;
      lastLine = line;
      lastAt = now;
    },
    end() {
      // Each line ended itself.
    },
  };
}

/**
 * A cli-progress bar redrawn in place on the terminal: answered of total, failed, and the time
 * left at the rate seen since the runner counted the lines.
 */
function barView(err: Writable): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream: err,
      format: '{status} [{bar}] {percentage}% | {value}/{total} | {failed} failed | ETA {eta_left}',
      emptyOnZero: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let start: WatchStart | undefined;
  return {
    show(batch) {
      const { total, completed, failed } = batch.request_counts;
      const now = Date.now();
      if (start === undefined || (start.answered === 0 && total === 0)) {
        start = { answered: completed + failed, atMs: now };
      }
      const payload = { status: batch.status, failed, eta_left: etaText(start, batch, now) };
      if (!bar.isActive) {
        bar.start(total, completed + failed, payload);
        return;
      }
      if (total !== bar.getTotal()) bar.setTotal(total);
      bar.update(completed + failed, payload);
    },
    end() {
      if (bar.isActive) bar.stop();
    },
  };
}

/**
 * Reads a batch of the tenant every `pollMs` until its status is final (completed, failed,
 * expired, cancelled), drawing its progress on `err`, and resolves to it as it ended. A batch
 * that is not there is a UserError.
 */
export async function watchBatch(watch: BatchWatch): Promise<BatchObject> {
  const view =
    watch.err.isTTY === true ? barView(watch.err) : lineView(watch.err, watch.progressEveryMs);
  try {
    for (;;) {
      const { record } = await findBatch(watch.batches, watch.tenant, watch.batchId);
      view.show(record.batch);
      if (finalBatchStatuses.has(record.batch.status)) return record.batch;
      await sleep(watch.pollMs);
    }
  } finally {
    view.end();
  }
}
