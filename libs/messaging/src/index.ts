export {
  closeNats,
  connectNats,
  type ConnectNatsOptions,
  type NatsAuthOptions,
} from './connection';
export {
  ServerFeatures,
  isAtLeast,
  parseServerVersion,
  serverSupports,
  serverVersionOf,
  type ServerFeature,
  type ServerVersion,
} from './server-version';
export {
  InvalidMessageError,
  InvalidReplySubjectError,
  JobsStreamFullError,
  MessagingErrorCodes,
  TopologyConflictError,
  type MessagingErrorCode,
} from './messaging.errors';
export {
  TopologyDefaults,
  planTopology,
  type ConsumerPlan,
  type ManagedConsumerConfig,
  type ManagedStreamConfig,
  type PlanCapabilities,
  type StreamPlan,
  type TopologyPlan,
  type TopologySettings,
} from './topology-plan';
export {
  provisionTopology,
  type ProvisionTopologyOptions,
  type ProvisionedTopology,
} from './provision-topology';
export { retryWhileJetStreamUnavailable } from './jetstream-unavailable';
export { ensureStream, type ProvisionOutcome } from './ensure-stream';
export { ensureConsumer, type EnsureConsumerOptions } from './ensure-consumer';
export {
  extractTraceContext,
  injectTraceContext,
  natsHeaderGetter,
  natsHeaderSetter,
} from './trace-context';
export {
  isPublishableSubject,
  readHeader,
  readReplyTo,
  switchyardHeaders,
  type ReadReplyToResult,
  type SwitchyardHeaderValues,
} from './message-headers';
export { jobMessageId } from './job-message-id';
export { publishJob, validateJob, type PublishJobOptions } from './publish-job';
export {
  isResultsSubject,
  publishReply,
  type PublishReplyOptions,
  type PublishReplyResult,
} from './publish-reply';
export { publishUsageEvent, type PublishUsageEventOptions } from './publish-usage-event';
export { publishDeadLetter, type PublishDeadLetterOptions } from './publish-dead-letter';
export {
  readJobMessage,
  type JobMessageEnvelope,
  type JobMessageInput,
  type JobMessageKind,
  type ReadJobMessageResult,
} from './read-job-message';
export {
  readDeadLetter,
  type DeadLetter,
  type DeadLetterInput,
  type ReadDeadLetterResult,
} from './read-dead-letter';
export type { JobControl } from './job-control';
export {
  consumeJobs,
  type ConsumeJobsOptions,
  type JobConsumer,
  type JobDelivery,
  type JobHandler,
  type StopSummary,
} from './consume-jobs';
export {
  discoverServices,
  registerService,
  statusEndpointName,
  type DiscoveredService,
  type RegisteredService,
  type ServiceEndpoint,
  type ServiceMsg,
  type ServiceRegistration,
} from './register-service';
export { createMissingStreams, type StreamSettings } from './create-missing-streams';
export { publishAnswerRecord, readAnswerRecord } from './answer-records';
export { StreamPublisher, type StreamPublish, type StreamPublishOptions } from './stream-publisher';
