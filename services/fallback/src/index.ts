export { chooseFallback, type FallbackChoice } from './choose-fallback';
export { finalErrorReply } from './final-error';
export {
  startFallbackRouter,
  type FallbackRouter,
  type FallbackRouterOptions,
} from './fallback-router';
export {
  handleDeadLetter,
  type DeadLetterContext,
  type DeadLetterOutcome,
} from './handle-dead-letter';
export { ROUTER_CONSUMER_NAME, routerConsumerConfig } from './router-consumer';
export {
  UNKNOWN_MODELS_QUEUE,
  answerUnknownModels,
  type UnknownModelsOptions,
  type UnknownModelsResponder,
} from './unknown-models';
