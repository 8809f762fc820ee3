export { BatchRunner, type BatchRunnerOptions } from './batch-runner';
export {
  bucketSettingsOf,
  startBatchRunner,
  type StartBatchRunnerOptions,
} from './start-batch-runner';
