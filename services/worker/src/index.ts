export {
  modelsServedBy,
  startWorker,
  type RunningWorker,
  type StartWorkerOptions,
} from './start-worker';
export type { WorkerLimits } from './worker-limits';
export { BackoffDefaults, retryBudget, retryDelayMs } from './retry-policy';
export { rankDeployments, type RandomSource } from './deployment-picker';
