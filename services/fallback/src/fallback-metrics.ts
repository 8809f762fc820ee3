import type { Meter } from '@opentelemetry/api';
import type { DeadLetterOutcome } from './handle-dead-letter';

/**
 * The router's instruments: dead letters by what was done with them, fallbacks by the model
 * a job left and the model it went to, and final errors (the chain spent) by model.
 */
export class FallbackMetrics {
  private readonly deadLetters;
  private readonly fallbacks;

  constructor(meter: Meter) {
    this.deadLetters = meter.createCounter('switchyard_dead_letters_handled', {
      description: 'Dead letters handled by the fallback router, by action',
    });
    this.fallbacks = meter.createCounter('switchyard_fallbacks', {
      description: 'Jobs sent on to a fallback model, by the model they left and their next one',
    });
  }

  /** Records what was done with one dead letter (the router's `onOutcome`). */
  record(outcome: DeadLetterOutcome): void {
    this.deadLetters.add(1, { action: outcome.action });
    if (outcome.action === 'fallback') {
      this.fallbacks.add(1, { from_model: outcome.from, to_model: outcome.to });
    }
  }
}
