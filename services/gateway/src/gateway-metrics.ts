import type { Meter } from '@opentelemetry/api';

const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Labels of one finished request. */
export interface RequestLabels {
  /** The logical model, or `unknown` when the request named none the gateway knows. */
  model: string;
  status: number;
  stream: boolean;
}

/**
 * The gateway's instruments: requests by model and status code, request duration, time to
 * the first byte of a stream, and requests in flight.
 */
export class GatewayMetrics {
  private readonly requests;
  private readonly duration;
  private readonly firstByte;
  private readonly inFlight;

  constructor(meter: Meter) {
    this.requests = meter.createCounter('switchyard_gateway_requests', {
      description: 'Chat completion requests answered, by model, status code and streaming',
    });
    this.duration = meter.createHistogram('switchyard_gateway_request_duration_seconds', {
      description: 'Time from request to the end of the answer',
      unit: 's',
      advice: { explicitBucketBoundaries: secondsBuckets },
    });
    this.firstByte = meter.createHistogram('switchyard_gateway_time_to_first_byte_seconds', {
      description: 'Time from request to the first chunk of a stream',
      unit: 's',
      advice: { explicitBucketBoundaries: secondsBuckets },
    });
    this.inFlight = meter.createUpDownCounter('switchyard_gateway_requests_in_flight', {
      description: 'Chat completion requests being answered',
    });
  }

  /** A request arrived. */
  started(): void {
    this.inFlight.add(1);
  }

  /** A stream sent its first chunk `seconds` after the request arrived. */
  firstChunk(model: string, seconds: number): void {
    this.firstByte.record(seconds, { model });
  }

  /** A request was answered (or its client left: status 499) after `seconds`. */
  finished(labels: RequestLabels, seconds: number): void {
    this.inFlight.add(-1);
    const stream = String(labels.stream);
    this.requests.add(1, { model: labels.model, status_code: String(labels.status), stream });
    this.duration.record(seconds, { model: labels.model, stream });
  }
}
