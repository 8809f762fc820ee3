export { CONTRACT_VERSION, contractVersionSchema, unsupportedVersionMessage } from './version';
export {
  ErrorTypes,
  countsTowardsCooldown,
  errorTypeNames,
  isRetryable,
  mayFallBack,
  type CooldownFailureType,
  type ErrorType,
} from './error-types';
export { requestHash, requestHashSchema } from './request-hash';
export {
  JobPriorities,
  jobPrioritySchema,
  laneOf,
  laneOfLiteLlmPriority,
  type JobPriority,
} from './priority';
export {
  deploymentsTried,
  failedCallsInRoute,
  fallbackPath,
  movedToFallback,
  routeWithFailedHop,
  withFailedHop,
} from './route';
export {
  DEFAULT_TENANT,
  batchIdSchema,
  jobIdSchema,
  logicalModelNameSchema,
  tagSchema,
  tagsSchema,
  tenantIdSchema,
  keyIdSchema,
  type KeyId,
  type BatchId,
  type JobId,
  type LogicalModelName,
  type TenantId,
} from './ids.schema';
export {
  costUsdSchema,
  durationMsSchema,
  epochMsSchema,
  epochSecondsSchema,
  tokenCountSchema,
  usdSchema,
} from './units.schema';
export { toolCallSchema, type ToolCall } from './tool-call.schema';
export {
  assistantMessageSchema,
  chatMessageSchema,
  developerMessageSchema,
  imageContentPartSchema,
  refusalContentPartSchema,
  systemMessageSchema,
  textContentPartSchema,
  toolMessageSchema,
  userMessageSchema,
  type AssistantMessage,
  type ChatMessage,
  type DeveloperMessage,
  type ImageContentPart,
  type RefusalContentPart,
  type SystemMessage,
  type TextContentPart,
  type ToolMessage,
  type UserMessage,
} from './chat-message.schema';
export {
  functionToolSchema,
  jsonSchemaObjectSchema,
  responseFormatSchema,
  toolChoiceSchema,
  type FunctionTool,
  type ResponseFormat,
  type ToolChoice,
} from './chat-tools.schema';
export {
  MAX_CHOICES,
  MAX_OUTPUT_TOKENS,
  chatCompletionRequestSchema,
  type ChatCompletionRequest,
} from './chat-request.schema';
export { MAX_JSON_DEPTH, exceedsJsonDepth } from './json-depth';
export {
  cacheControlSchema,
  chatJobSchema,
  completionJobSchema,
  embeddingsJobSchema,
  isEmbeddingsJob,
  isEmbeddingsRequest,
  jobEndpointSchema,
  routeHopSchema,
  type CacheControl,
  type ChatJob,
  type ChatJobInput,
  type CompletionJob,
  type CompletionJobInput,
  type EmbeddingsJob,
  type JobEndpoint,
  type JobRequest,
  type RouteHop,
} from './job.schema';
export {
  MAX_EMBEDDING_INPUTS,
  embeddingEncodingSchema,
  embeddingInputs,
  embeddingsInputSchema,
  embeddingsRequestSchema,
  type EmbeddingEncoding,
  type EmbeddingsInput,
  type EmbeddingsRequest,
} from './embeddings-request.schema';
export {
  embeddingItemSchema,
  embeddingsResultSchema,
  embeddingsUsageSchema,
  type EmbeddingItem,
  type EmbeddingsResult,
  type EmbeddingsUsage,
} from './embeddings-result.schema';
export { completionUsageSchema, type CompletionUsage } from './completion-usage.schema';
export {
  budgetEventSchema,
  budgetScopeKindSchema,
  decodeBudgetEvent,
  type BudgetEvent,
  type BudgetScopeKind,
  type DecodeBudgetEventResult,
} from './budget-event.schema';
export {
  choiceLogprobsSchema,
  tokenLogprobSchema,
  type ChoiceLogprobs,
  type TokenLogprob,
} from './logprobs.schema';
export {
  completionResultSchema,
  finishReasonSchema,
  resultChoiceSchema,
  resultMessageSchema,
  resultMetaSchema,
  type CompletionResult,
  type FinishReason,
  type ResultChoice,
  type ResultMessage,
  type ResultMeta,
} from './result.schema';
export {
  chunkChoiceSchema,
  chunkMetaSchema,
  completionChunkSchema,
  finalChunkMetaSchema,
  generationOf,
  generationSchema,
  toolCallDeltaSchema,
  type ChunkChoice,
  type ChunkMeta,
  type CompletionChunk,
  type FinalChunkMeta,
  type ToolCallDelta,
} from './chunk.schema';
export {
  deploymentAttemptSchema,
  errorCodeSchema,
  errorTypeSchema,
  switchyardErrorSchema,
  type DeploymentAttempt,
  type SwitchyardError,
} from './error.schema';
export {
  ContractErrorCodes,
  makeError,
  makeErrorReply,
  type ContractErrorCode,
  type ErrorExtras,
} from './make-error';
export {
  errorReplySchema,
  replyMessageSchema,
  type ErrorReply,
  type ReplyMessage,
} from './reply.schema';
export {
  newCallId,
  usageEventId,
  usageEventSchema,
  usageStatusSchema,
  type UsageEvent,
  type UsageEventIdParts,
  type UsageEventInput,
  type UsageStatus,
} from './usage-event.schema';
export {
  decodeJob,
  decodeReply,
  decodeUsageEvent,
  decodeAnswerRecord,
  decodeCooldownEvent,
  type DecodeAnswerRecordResult,
  type DecodeJobResult,
  type DecodeReplyResult,
  type DecodeUsageEventResult,
  type WireInput,
} from './decode';
export {
  SpendDimensions,
  resolveSpendTime,
  spendQuerySchema,
  spendReplySchema,
  spendRowSchema,
  spendTimeSchema,
  type SpendDimension,
  type SpendQuery,
  type SpendReply,
  type SpendRow,
  type SpendTime,
} from './spend-query.schema';
export { formatIssuePath, formatIssues } from './issues';
export { ServiceRoles, serviceInboxPrefix, type ServiceRole } from './service-roles';
export { SubjectTokenError, decodeSubjectToken, encodeSubjectToken } from './subject-token';
export {
  DEFAULT_SUBJECT_ROOT,
  ModelSubjectKinds,
  RequestSubjectKinds,
  SubjectError,
  createSubjects,
  isTenantInbox,
  subjects,
  tenantInboxPrefix,
  type ModelSubjectKind,
  type RequestSubjectKind,
  type ParseSubjectResult,
  type ParsedModelSubject,
  type SwitchyardSubjects,
} from './subjects';
export {
  KEYS_BUCKET,
  MAX_JETSTREAM_NAME_LENGTH,
  StreamNameError,
  StreamNames,
  USAGE_MAX_AGE_MS,
  keysBucketName,
  filesBucketName,
  batchesBucketName,
  FILES_BUCKET,
  BATCHES_BUCKET,
  modelConsumerName,
  tenantConsumerName,
  streamNames,
  type StreamKind,
} from './streams';
export { HeaderNames, type HeaderName } from './headers';
export {
  answerRecordSchema,
  answerRecordEnvelopeSchema,
  type AnswerRecord,
  type AnswerRecordInput,
} from './answer-record.schema';
export { cooldownEventSchema, type CooldownEvent } from './cooldown-event.schema';
