export { startMetering, type Metering, type MeteringOptions } from './start-metering';
export {
  METERING_CONSUMER_NAME,
  MeteringConsumerDefaults,
  meteringConsumerConfig,
} from './metering-consumer';
export {
  RetentionDefaults,
  createUsageApplier,
  type ApplyOutcome,
  type UsageApplier,
  type UsageApplierOptions,
} from './usage-applier';
export { ALL_TENANTS, NONE, bucketStart, meteringKeys } from './aggregate-keys';
export { readSpend } from './spend-reader';
export { spendBuckets } from './spend-buckets';
export { answerSpendQuery } from './spend-service';
