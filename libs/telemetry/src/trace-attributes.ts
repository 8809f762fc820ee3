/**
 * The span attribute names Switchyard writes: OpenTelemetry's messaging and GenAI semantic
 * conventions, plus `switchyard.*` for what they do not cover.
 */
export const TraceAttributes = {
  messagingSystem: 'messaging.system',
  messagingOperationType: 'messaging.operation.type',
  messagingOperationName: 'messaging.operation.name',
  messagingDestination: 'messaging.destination.name',
  messagingMessageId: 'messaging.message.id',
  messagingConsumerGroup: 'messaging.consumer.group.name',
  genAiSystem: 'gen_ai.system',
  genAiOperationName: 'gen_ai.operation.name',
  genAiRequestModel: 'gen_ai.request.model',
  genAiResponseModel: 'gen_ai.response.model',
  genAiResponseId: 'gen_ai.response.id',
  genAiResponseFinishReasons: 'gen_ai.response.finish_reasons',
  genAiInputTokens: 'gen_ai.usage.input_tokens',
  genAiOutputTokens: 'gen_ai.usage.output_tokens',
  genAiRequestEncodingFormats: 'gen_ai.request.encoding_formats',
  genAiEmbeddingsDimensions: 'gen_ai.embeddings.dimension.count',
  errorType: 'error.type',
  serverAddress: 'server.address',
  jobId: 'switchyard.job.id',
  tenant: 'switchyard.tenant',
  logicalModel: 'switchyard.model',
  deployment: 'switchyard.deployment',
  attempt: 'switchyard.attempt',
  fallbackDepth: 'switchyard.fallback_depth',
} as const;
