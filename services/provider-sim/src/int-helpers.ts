/** Helpers of the integration specs: HTTP calls to a running simulator. */

/** The value at `path` in a parsed JSON body, or undefined. */
export function pick(value: unknown, ...path: (string | number)[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** A response read in full: status, headers, text and (if it parses) JSON. */
export interface ReadResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** POSTs `body` (JSON unless a string) and reads the whole response. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<ReadResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal !== undefined ? { signal } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The user message of {@link apis} bodies unless another is given. */
export const DEFAULT_PROMPT = 'Tell me about trains';

/** The simulated APIs and how to call each: path, key headers, body around a user `prompt`. */
export const apis = {
  openai: {
    path: () => '/v1/chat/completions',
    headers: { authorization: 'Bearer good-key' },
    body: (stream: boolean, prompt = DEFAULT_PROMPT) => ({
      model: 'gpt-4o',
      stream,
      messages: [{ role: 'user', content: prompt }],
    }),
  },
  azure: {
    path: () => '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21',
    headers: { 'api-key': 'good-key' },
    body: (stream: boolean, prompt = DEFAULT_PROMPT) => ({
      stream,
      messages: [{ role: 'user', content: prompt }],
    }),
  },
  anthropic: {
    path: () => '/v1/messages',
    headers: { 'x-api-key': 'good-key', 'anthropic-version': '2023-06-01' },
    body: (stream: boolean, prompt = DEFAULT_PROMPT) => ({
      model: 'claude-haiku-4-5',
      max_tokens: 64,
      stream,
      messages: [{ role: 'user', content: prompt }],
    }),
  },
  gemini: {
    path: (stream: boolean) =>
      stream
        ? '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'
        : '/v1beta/models/gemini-2.5-flash:generateContent',
    headers: { 'x-goog-api-key': 'good-key' },
    body: (_stream: boolean, prompt = DEFAULT_PROMPT) => ({
      contents: [{ role: 'user', parts: [{ text: prompt }] }],
    }),
  },
} as const;

/** One of {@link apis}. */
export type ApiName = keyof typeof apis;

/** How {@link callApi} calls: streaming or not, under a deployment, with a fault, prompt, headers. */
export interface CallOptions {
  stream?: boolean;
  fault?: string;
  deployment?: string;
  signal?: AbortSignal;
  /** The user message. @defaultValue {@link DEFAULT_PROMPT} */
  prompt?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** Calls `api` on the simulator at `base`, optionally under `/d/<deployment>` and with a fault. */
export function callApi(
  base: string,
  api: ApiName,
  options: CallOptions = {},
): Promise<ReadResponse> {
  const spec = apis[api];
  const stream = options.stream ?? false;
  const prefix = options.deployment !== undefined ? `/d/${options.deployment}` : '';
  return post(
    `${base}${prefix}${spec.path(stream)}`,
    spec.body(stream, options.prompt),
    {
      ...spec.headers,
      ...options.headers,
      ...(options.fault !== undefined ? { 'x-sim-fault': options.fault } : {}),
    },
    options.signal,
  );
}

/** The text parts of one parsed body or stream event of `api` (first choice only). */
function textsOf(api: ApiName, json: unknown, streamed: boolean): string[] {
  const texts: unknown[] = [];
  switch (api) {
    case 'openai':
    case 'azure':
      texts.push(pick(json, 'choices', 0, streamed ? 'delta' : 'message', 'content'));
      break;
    case 'anthropic': {
      if (streamed) {
        if (pick(json, 'delta', 'type') === 'text_delta') texts.push(pick(json, 'delta', 'text'));
        break;
      }
      const blocks = pick(json, 'content');
      if (Array.isArray(blocks)) texts.push(...blocks.map((block) => pick(block, 'text')));
      break;
    }
    case 'gemini': {
      const parts = pick(json, 'candidates', 0, 'content', 'parts');
      if (Array.isArray(parts)) texts.push(...parts.map((part) => pick(part, 'text')));
    }
  }
  return texts.filter((text): text is string => typeof text === 'string');
}

/**
 * The reply text a response delivered (the first choice's text): from a JSON body, or from
 * the `data:` events of a stream read so far (events whose JSON does not parse are skipped).
 */
export function deliveredText(api: ApiName, body: string): string {
  const whole = body.trimStart();
  if (whole.startsWith('{')) return textsOf(api, JSON.parse(whole) as unknown, false).join('');
  const texts: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    let event: unknown;
    try {
      event = JSON.parse(line.slice(6));
    } catch {
      continue;
    }
    texts.push(...textsOf(api, event, true));
  }
  return texts.join('');
}
