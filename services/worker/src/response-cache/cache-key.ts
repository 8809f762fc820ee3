import { createHash } from 'node:crypto';
import type { CompletionJob } from '@switchyard/contracts';
import { canonicalJson } from './canonical-json';

/**
 * Request fields that change how an answer is delivered, not what it says: a streamed and a
 * whole answer to the same request share one entry.
 */
const deliveryOnlyFields = new Set(['stream', 'stream_options']);

/**
 * The Redis key of a job's cached answer: `<prefix>cache:<namespace>:<tenant>:<sha256>`, the
 * hash over the logical model and the canonical request. The tenant is part of the key, so
 * one tenant never reads another's entries.
 */
export function cacheKeyFor(job: CompletionJob, keyPrefix: string, namespace = 'default'): string {
  const request = Object.fromEntries(
    Object.entries(job.request).filter(([field]) => !deliveryOnlyFields.has(field)),
  );
  const digest = createHash('sha256')
    .update(
      canonicalJson({
        model: job.model,
        request,
        // Chat keys stay as they were; an embeddings request never shares a chat entry.
        ...(job.endpoint === 'embeddings' ? { endpoint: job.endpoint } : {}),
      }),
    )
    .digest('hex');
  return `${keyPrefix}cache:${namespace}:${job.tenant}:${digest}`;
}
