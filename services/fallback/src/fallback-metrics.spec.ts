import { createMetrics } from '@switchyard/telemetry';
import { describe, expect, it } from 'vitest';
import { FallbackMetrics } from './fallback-metrics';

describe('FallbackMetrics', () => {
  it('counts dead letters by action and fallbacks by from and to model', async () => {
    const metrics = createMetrics('switchyard-fallback');
    const fallback = new FallbackMetrics(metrics.meter);
    fallback.record({ action: 'fallback', jobId: 'a', from: 'fast', to: 'backup' });
    fallback.record({ action: 'fallback', jobId: 'b', from: 'fast', to: 'backup' });
    fallback.record({ action: 'final_error', jobId: 'c', reason: 'no fallbacks' });
    const text = await metrics.prometheusText();
    await metrics.shutdown();
    expect(text).toMatch(/switchyard_dead_letters_handled_total\{action="fallback"[^}]*\} 2/);
    expect(text).toMatch(/switchyard_dead_letters_handled_total\{action="final_error"[^}]*\} 1/);
    expect(text).toMatch(
      /switchyard_fallbacks_total\{from_model="fast",to_model="backup"[^}]*\} 2/,
    );
  });
});
