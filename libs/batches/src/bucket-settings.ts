/** Where the Files and Batch API buckets live: the installation's `switchyard.nats` settings. */
export interface BucketSettings {
  /** `switchyard.nats.stream_prefix` ('' for none). */
  readonly streamPrefix: string;
  /** Replicas, like the streams (1 to 5). */
  readonly replicas: number;
  readonly storage: 'file' | 'memory';
}

/**
 * Options of the JetStream clients that open a bucket: a start-up step, so a busy server gets
 * more than the default 5 s. A new object per call: nats.js writes the connection's inbox prefix
 * into the options it is given, so one shared object would hand one connection's prefix to the
 * next (and its watches to subjects that connection may not subscribe to).
 */
export function bucketApiOptions(): { timeout: number } {
  return { timeout: 15_000 };
}
