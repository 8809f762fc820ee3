import type { ReplyMessage } from '@switchyard/contracts';
import { outputLineId } from './batch-ids';

/** One line of the results file, in the shape of OpenAI's Batch API output. */
export type BatchOutputLine =
  | {
      id: string;
      custom_id: string;
      response: { status_code: number; request_id: string; body: unknown };
      error: null;
    }
  | { id: string; custom_id: string; response: null; error: { code: string; message: string } };

/**
 * The output line of a request's final reply: a `chat.completion` becomes a 200 response
 * whose body is the completion (with its `switchyard` block); an `error` becomes
 * `response: null` and `error: { code, message }`. Chunks are not final replies (undefined).
 */
export function outputLineFor(
  customId: string,
  jobId: string,
  reply: ReplyMessage,
): BatchOutputLine | undefined {
  const id = outputLineId(jobId);
  if (reply.object === 'chat.completion') {
    return {
      id,
      custom_id: customId,
      response: { status_code: 200, request_id: jobId, body: reply },
      error: null,
    };
  }
  if (reply.object === 'error') {
    return {
      id,
      custom_id: customId,
      response: null,
      error: { code: reply.error.code, message: reply.error.message },
    };
  }
  return undefined;
}

/** The output line of a request that could not be submitted at all (nothing was published). */
export function submitErrorLine(
  customId: string,
  jobId: string,
  code: string,
  message: string,
): BatchOutputLine {
  return { id: outputLineId(jobId), custom_id: customId, response: null, error: { code, message } };
}
