import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';

describe('createMetrics', () => {
  it('serves what the instruments recorded in the Prometheus text format', async () => {
    const metrics = createMetrics('spec-service');
    const requests = metrics.meter.createCounter('http_requests', { description: 'requests' });
    requests.add(2, { model: 'fast', status: '200' });
    requests.add(1, { model: 'fast', status: '429' });
    metrics.meter
      .createHistogram('duration_seconds', { unit: 's' })
      .record(0.25, { model: 'fast' });
    const text = await metrics.prometheusText();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toMatch(/http_requests_total\{model="fast",status="200"[^}]*\} 2/);
    expect(text).toMatch(/http_requests_total\{model="fast",status="429"[^}]*\} 1/);
    expect(text).toMatch(/duration_seconds_count\{model="fast"[^}]*\} 1/);
    expect(text).toContain('otel_scope_name="spec-service"');
    await metrics.shutdown();
    expect(await metrics.prometheusText()).toBe('');
  });

  it('records nothing and serves nothing when disabled', async () => {
    const metrics = createMetrics('spec-service', { enabled: false });
    metrics.meter.createCounter('http_requests').add(5);
    expect(await metrics.prometheusText()).toBe('');
    await metrics.shutdown();
  });
});
