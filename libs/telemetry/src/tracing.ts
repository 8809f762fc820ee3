import { trace, type Tracer } from '@opentelemetry/api';

/** The tracer of a Switchyard library or service (`switchyard.worker`, `switchyard.client`). */
export function tracer(name: string): Tracer {
  return trace.getTracer(name);
}

/** A running trace exporter. */
export interface Tracing {
  /** Whether spans are recorded and exported (false: the OpenTelemetry API stays a no-op). */
  readonly enabled: boolean;
  /** Exports the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

const off: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

/**
 * Whether the standard OpenTelemetry variables ask for traces: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or
 * `OTEL_TRACES_EXPORTER=otlp`, and neither `OTEL_SDK_DISABLED=true` nor
 * `OTEL_TRACES_EXPORTER=none`.
 */
export function tracingRequested(env: Record<string, string | undefined>): boolean {
  if (env['OTEL_SDK_DISABLED']?.toLowerCase() === 'true') return false;
  const exporter = env['OTEL_TRACES_EXPORTER']?.toLowerCase();
  if (exporter === 'none') return false;
  return (
    exporter === 'otlp' ||
    Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT']) ||
    Boolean(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])
  );
}

/** The traces endpoint the variables name, or {} for the exporter's default (`localhost:4318`). */
function exporterUrl(env: Record<string, string | undefined>): { url?: string } {
  const traces = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  if (traces) return { url: traces };
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  return base ? { url: `${base.replace(/\/+$/, '')}/v1/traces` } : {};
}

/**
 * Starts exporting traces over OTLP/HTTP when the environment asks for it
 * ({@link tracingRequested}) to the endpoint `env` names; the exporter reads the other OTEL_*
 * variables (headers, timeout) from the process environment itself, and `OTEL_SERVICE_NAME`
 * overrides `serviceName`. Otherwise
 * nothing is loaded or registered and every span is a no-op: tracing that is off costs
 * nothing but the API's no-op calls.
 */
export async function startTracing(
  serviceName: string,
  env: Record<string, string | undefined>,
): Promise<Tracing> {
  if (!tracingRequested(env)) return off;
  const [
    { NodeTracerProvider },
    { BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(exporterUrl(env)))],
  });
  provider.register();
  return { enabled: true, shutdown: () => provider.shutdown() };
}
