/**
 * Realistic wire messages shared by this package's specs. Each call returns a fresh object,
 * so a spec may mutate its copy.
 */

/** A chat request using most of the API: tools, image input, a JSON schema, sampling knobs. */
export function realisticRequest() {
  return {
    model: 'gpt-4o-2024-08-06',
    messages: [
      { role: 'developer', content: 'You triage support email. Answer in JSON.' },
      { role: 'system', content: [{ type: 'text', text: 'Be terse.' }], name: 'policy' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Customer says the invoice below is wrong. Ticket 4411.' },
          {
            type: 'image_url',
            image_url: { url: 'https://example.com/invoice-4411.png', detail: 'high' },
          },
          {
            type: 'image_url',
            image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' },
            cache_control: { type: 'ephemeral' },
          },
        ],
        name: 'customer_7',
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_abc123',
            type: 'function',
            function: { name: 'lookup_invoice', arguments: '{"invoice_id":"INV-4411"}' },
          },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'call_abc123',
        content: '{"total": 120.5, "currency": "EUR", "status": "paid"}',
      },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: 'lookup_invoice',
          description: 'Fetch an invoice by id',
          parameters: {
            type: 'object',
            properties: { invoice_id: { type: 'string' } },
            required: ['invoice_id'],
            additionalProperties: false,
          },
          strict: true,
        },
      },
    ],
    tool_choice: 'auto',
    parallel_tool_calls: false,
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'triage',
        description: 'Triage decision',
        strict: true,
        schema: {
          type: 'object',
          properties: {
            category: { type: 'string', enum: ['billing', 'bug', 'other'] },
            urgent: { type: 'boolean' },
          },
          required: ['category', 'urgent'],
          additionalProperties: false,
        },
      },
    },
    temperature: 0.2,
    top_p: 1,
    max_completion_tokens: 512,
    stop: ['\n\nEND'],
    seed: 42,
    n: 1,
    stream: false,
    stream_options: null,
    user: 'user-1234',
    metadata: { pipeline: 'email-triage', shard: '7' },
    presence_penalty: 0,
    frequency_penalty: 0.5,
    logit_bias: { '50256': -100 },
    logprobs: true,
    top_logprobs: 2,
    reasoning_effort: 'low',
  };
}

/** A job as a producer writes it, for the logical model `openai/gpt-4o`. */
export function validJob() {
  return {
    v: 1,
    id: 'batch-7:msg-0001',
    tenant: 'acme',
    model: 'openai/gpt-4o',
    request: realisticRequest(),
    submitted_at: 1_764_000_000_000,
    deadline: 1_764_000_060_000,
    cache: { no_cache: false, no_store: true, ttl: 3600 },
    fallbacks: ['anthropic/claude-3.5-sonnet'],
    tags: ['team:support', 'pipeline-7'],
  };
}

/** The `switchyard` block of a result after one fallback. */
export function resultMeta() {
  return {
    v: 1,
    job_id: 'batch-7:msg-0001',
    deployment: 'claude-sonnet-eu',
    provider: 'anthropic',
    provider_model: 'claude-3-5-sonnet-20241022',
    attempts: 3,
    fallback_path: ['openai/gpt-4o', 'anthropic/claude-3.5-sonnet'],
    queue_ms: 1200,
    provider_ms: 2380.5,
    total_ms: 3650,
    cache_hit: false,
    cost_usd: 0.00411,
  };
}

/** A finished completion that called a tool. */
export function validResult() {
  return {
    id: 'chatcmpl-9xYz',
    object: 'chat.completion',
    created: 1_764_000_003,
    model: 'anthropic/claude-3.5-sonnet',
    system_fingerprint: 'fp_1234',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'lookup_invoice', arguments: '{"invoice_id":"INV-4411"}' },
            },
          ],
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: 812,
      completion_tokens: 31,
      total_tokens: 843,
      prompt_tokens_details: { cached_tokens: 512 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
    switchyard: resultMeta(),
  };
}

/** A chunk in the middle of a stream. */
export function contentChunk(seq: number, content: string) {
  return {
    id: 'chatcmpl-9xYz',
    object: 'chat.completion.chunk',
    created: 1_764_000_003,
    model: 'openai/gpt-4o',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
    switchyard: { v: 1, job_id: 'batch-7:msg-0001', seq, generation: '0.1', final: false },
  };
}

/** The last chunk of a stream: finish reason, usage and the full metadata. */
export function finalChunk(seq: number) {
  return {
    id: 'chatcmpl-9xYz',
    object: 'chat.completion.chunk',
    created: 1_764_000_004,
    model: 'openai/gpt-4o',
    choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
    usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
    switchyard: { ...resultMeta(), seq, generation: '0.1', final: true, ttft_ms: 310 },
  };
}

/** The failure of a job after two deployments were tried. */
export function validErrorReply() {
  return {
    object: 'error',
    error: {
      type: 'rate_limit',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for gpt-4o in organization org-x on tokens per min.',
      provider: 'openai',
      status: 429,
      retryable: true,
      retry_after_ms: 20_000,
      deployments_tried: [
        {
          deployment: 'gpt-4o-east',
          provider: 'openai',
          type: 'rate_limit',
          code: 'rate_limit_exceeded',
          message: 'Rate limit reached',
        },
        {
          deployment: 'gpt-4o-azure',
          provider: 'azure',
          type: 'server',
          code: 'internal_error',
          message: 'upstream 500',
        },
      ],
    },
    switchyard: { v: 1, job_id: 'batch-7:msg-0001' },
  };
}

/** A usage event of a successful provider call. */
export function validUsageEvent() {
  return {
    v: 1,
    id: 'batch-7:msg-0001:0:1:gpt-4o-east',
    job_id: 'batch-7:msg-0001',
    tenant: 'acme',
    key_id: 'key_12',
    tags: ['team:support'],
    model: 'openai/gpt-4o',
    deployment: 'gpt-4o-east',
    provider: 'openai',
    provider_model: 'gpt-4o-2024-08-06',
    status: 'success',
    prompt_tokens: 812,
    completion_tokens: 31,
    cached_tokens: 512,
    reasoning_tokens: 0,
    cost_usd: 0.00251,
    cost_saved_usd: 0,
    queue_ms: 40,
    provider_ms: 900,
    total_ms: 950,
    ttft_ms: 300,
    attempt: 1,
    fallback_depth: 0,
    at: 1_764_000_001_000,
  };
}
