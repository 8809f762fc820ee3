import { parseConfig, type SwitchyardConfig } from '@switchyard/config';
import {
  CONTRACT_VERSION,
  newCallId,
  usageEventId,
  type UsageEventInput,
} from '@switchyard/contracts';

/**
 * A config on the test servers, with its own subject root, stream prefix and key prefix;
 * `switchyard` adds lines to its `switchyard:` section (e.g. `  tenants: {…}`).
 */
export function meteringConfig(
  natsUrl: string,
  redisUrl: string,
  prefix: string,
  switchyard: readonly string[] = [],
): SwitchyardConfig {
  const yaml = [
    'model_list:',
    '  - model_name: m',
    '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
    'switchyard:',
    '  nats:',
    `    servers: ${natsUrl}`,
    `    subject_root: ${prefix}`,
    `    stream_prefix: ${prefix}`,
    '    storage: memory',
    '  redis:',
    `    url: ${redisUrl}`,
    `    key_prefix: "${prefix}:"`,
    ...switchyard,
  ].join('\n');
  return parseConfig(yaml, { env: {} }).config;
}

let counter = 0;

/** A valid usage event; `overrides` replace fields (the id follows job_id and attempt). */
export function usageEvent(overrides: Partial<UsageEventInput> = {}): UsageEventInput {
  counter += 1;
  const base = {
    v: CONTRACT_VERSION as typeof CONTRACT_VERSION,
    job_id: `job-${counter}`,
    tenant: 'acme',
    tags: ['triage'],
    model: 'm',
    deployment: 'm/0',
    provider: 'openai',
    provider_model: 'gpt-4o-mini',
    status: 'success' as const,
    prompt_tokens: 13,
    completion_tokens: 16,
    cached_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: (13 * 150_000 + 16 * 600_000) / 1e12,
    cost_saved_usd: 0,
    queue_ms: 1,
    provider_ms: 2,
    total_ms: 3,
    attempt: 1,
    fallback_depth: 0,
    at: Date.UTC(2026, 0, 15, 10, 30),
    ...overrides,
  };
  return {
    ...base,
    id:
      overrides.id ??
      usageEventId({
        tenant: base.tenant,
        job_id: base.job_id,
        fallback_depth: base.fallback_depth,
        attempt: base.attempt,
        call_id: newCallId(),
      }),
  };
}
