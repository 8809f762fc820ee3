export {
  BATCH_ENDPOINT,
  BatchStatuses,
  COMPLETION_WINDOW,
  batchObjectSchema,
  batchRecordSchema,
  completionWindowMs,
  finalBatchStatuses,
  isBatchId,
  newBatchId,
  newBatchRecord,
  seconds,
  type BatchObject,
  type BatchProblem,
  type BatchRecord,
  type BatchStatus,
} from './batch-record';
export { cancelStep, type CancelStep } from './cancel-step';
export { BatchStore, UnreadableBatchError, type BatchPage, type StoredBatch } from './batch-store';
export type { BucketSettings } from './bucket-settings';
export { FileTooLargeError } from './byte-counter';
export { FilePurposes, isFileId, type FileObject, type FilePurpose } from './file-object';
export {
  FileStore,
  type FilePage,
  type ListFilesOptions,
  type NewFile,
  type StoredFile,
} from './file-store';
export { batchJobId, defaultBatchId, outputLineId } from './batch-ids';
export {
  batchEndpoint,
  maxCustomIdLength,
  parseBatchInput,
  type BatchRequest,
  type LineProblem,
} from './batch-input';
export { outputLineFor, submitErrorLine, type BatchOutputLine } from './batch-output';
