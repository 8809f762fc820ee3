/** Where the Files and Batch API buckets live: the installation's `switchyard.nats` settings. */
export interface BucketSettings {
  /** `switchyard.nats.stream_prefix` ('' for none). */
  readonly streamPrefix: string;
  /** Replicas, like the streams (1 to 5). */
  readonly replicas: number;
  readonly storage: 'file' | 'memory';
}

/** Opening a bucket is a start-up step: a busy server gets more than the default 5 s. */
export const bucketApiOptions = { timeout: 15_000 } as const;
