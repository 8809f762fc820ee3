/** The NATS message headers Switchyard reads and writes. */
export const HeaderNames = {
  /**
   * The job id on a job (the usage event id on a usage event): JetStream drops a message
   * whose id it has already stored within the stream's duplicate window, so a job published
   * twice runs once and an event published twice is stored once.
   */
  msgId: 'Nats-Msg-Id',
  /**
   * Where the answer to a job goes (an inbox, or `llm.results.<batch>`). JetStream does not
   * keep a message's reply subject, so the producer puts it in this header.
   */
  replyTo: 'Switchyard-Reply-To',
  /** W3C trace context of the producer's span, so a job's trace continues in the worker. */
  traceparent: 'traceparent',
  /** W3C vendor-specific trace state, carried alongside `traceparent`. */
  tracestate: 'tracestate',
  /**
   * The contract version of the payload (`1`), so a reader can refuse a version it does not
   * know before parsing the body.
   */
  contract: 'Switchyard-Contract',
  /**
   * The 1-based attempt (the JetStream delivery count of the job) at which a worker produced
   * this message, such as a dead letter.
   */
  attempt: 'Switchyard-Attempt',
  /** The ErrorType that sent a job to the dead-letter subject, so the router can route on it. */
  errorType: 'Switchyard-Error-Type',
  /**
   * `end` on the empty message that ends a streamed answer to a plain NATS chat request
   * (`<root>.chat.<tenant>.<model>`), after its last chunk.
   */
  stream: 'Switchyard-Stream',
} as const;
export type HeaderName = (typeof HeaderNames)[keyof typeof HeaderNames];
