export { Switchyard, type SwitchyardOptions } from './switchyard';
export type { ClientContext } from './client-context';
export { Completions } from './chat/completions';
export { ChunkStream } from './chat/chunk-stream';
export { ChunkOrder } from './chat/chunk-order';
export {
  buildEmbeddingsJob,
  buildJob,
  newJobId,
  type EmbeddingsCreateParams,
  type JobContext,
} from './chat/build-job';
export { Embeddings } from './embeddings/embeddings';
export type {
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  RequestOptions,
  SwitchyardJobOptions,
} from './chat/chat-params';
export {
  Batches,
  type BatchJob,
  type BatchResult,
  type BatchSubmission,
  type ResultsOptions,
  type SubmitOptions,
} from './batches/batches';
export { Jobs, type AnswerOptions } from './jobs/jobs';
export {
  AbortError,
  AuthError,
  BadRequestError,
  BudgetExceededError,
  ConnectionError,
  CancelledError,
  ConflictError,
  ContentPolicyError,
  ContextWindowExceededError,
  DeadlineExceededError,
  InvalidJobError,
  NotFoundError,
  OverloadedError,
  RateLimitError,
  ServerError,
  SwitchyardError,
  TimeoutError,
  errorClasses,
  errorFromWire,
} from './errors/switchyard.error';
export {
  readDeadLetter,
  type DeadLetter,
  type DeadLetterInput,
  type ReadDeadLetterResult,
} from '@switchyard/messaging';
export { type DeadLetterLocation } from './dead-letters/dead-letter-options';
export {
  listDeadLetters,
  type DeadLetterEntry,
  type ListDeadLettersOptions,
} from './dead-letters/list-dead-letters';
export {
  DeadLetterReplayError,
  replayDeadLetter,
  type ReplayedDeadLetter,
} from './dead-letters/replay-dead-letter';
export { querySpend, type QuerySpendOptions, type SpendAnswer } from './spend/query-spend';
