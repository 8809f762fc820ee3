import type { UsageEvent } from '@switchyard/contracts';
import type { Meter } from '@opentelemetry/api';
import type { ApplyOutcome } from './usage-applier';

/** Prometheus instruments of metering (counted once per applied event, never per delivery). */
export class MeteringMetrics {
  private readonly events;
  private readonly tokens;
  private readonly cost;
  private readonly requests;

  constructor(meter: Meter) {
    this.events = meter.createCounter('switchyard_metering_events', {
      description: 'Usage events metering settled, by outcome (applied, duplicate, invalid)',
    });
    this.tokens = meter.createCounter('switchyard_usage_tokens', {
      description: 'Tokens metered, by provider, logical model and kind',
    });
    this.cost = meter.createCounter('switchyard_spend_usd', {
      description: 'Spend metered in USD (calls with a known price), by provider and model',
    });
    this.requests = meter.createCounter('switchyard_usage_requests', {
      description: 'Provider calls and cache hits metered, by provider, model and status',
    });
  }

  /** Records one settled event. */
  settled(outcome: ApplyOutcome | 'invalid', event?: UsageEvent): void {
    this.events.add(1, { outcome });
    if (outcome !== 'applied' || event === undefined) return;
    const where = { provider: event.provider, model: event.model };
    this.requests.add(1, {
      ...where,
      status: event.status,
      price_known: event.cost_usd === null ? 'false' : 'true',
    });
    const kinds = {
      prompt: event.prompt_tokens,
      completion: event.completion_tokens,
      cached: event.cached_tokens,
      reasoning: event.reasoning_tokens,
    };
    for (const [kind, count] of Object.entries(kinds)) {
      if (count > 0) this.tokens.add(count, { ...where, kind });
    }
    if (event.cost_usd !== null && event.cost_usd > 0) this.cost.add(event.cost_usd, where);
  }
}
