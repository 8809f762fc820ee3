import { createNoopMeter, type Meter } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /**
   * Whether metrics are recorded. When false, `meter` is OpenTelemetry's no-op meter (every
   * instrument call does nothing) and `prometheusText()` is empty: off costs nothing.
   * @defaultValue true
   */
  enabled?: boolean;
}

/** The metrics of one process, read in the Prometheus text format. */
export interface Metrics {
  /** Creates the process's instruments (counters, histograms, up-down counters). */
  readonly meter: Meter;
  /** Everything recorded so far, in the Prometheus exposition format (text/plain 0.0.4). */
  prometheusText(): Promise<string>;
  /** Stops collecting; later reads return an empty text. */
  shutdown(): Promise<void>;
}

/** The content type of {@link Metrics.prometheusText}, for a `/metrics` response. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The metrics of a service: an OpenTelemetry MeterProvider (not registered globally, so two
 * services in one process, as in tests, keep apart) whose instruments are read on demand by a
 * pull-based Prometheus reader; no HTTP server is started, the caller serves the text.
 * `serviceName` names the meter (the `otel_scope_name` label).
 */
export function createMetrics(serviceName: string, options: MetricsOptions = {}): Metrics {
  if (options.enabled === false) {
    return {
      meter: createNoopMeter(),
      prometheusText: () => Promise.resolve(''),
      shutdown: () => Promise.resolve(),
    };
  }
  const reader = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [reader] });
  const serializer = new PrometheusSerializer(undefined, undefined, undefined, true);
  let stopped = false;
  return {
    meter: provider.getMeter(serviceName),
    async prometheusText() {
      if (stopped) return '';
      const { resourceMetrics } = await reader.collect();
      return serializer.serialize(resourceMetrics);
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      await provider.shutdown();
    },
  };
}
