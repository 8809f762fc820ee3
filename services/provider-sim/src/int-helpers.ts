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

/** The simulated APIs and how to call each: path, key headers, body. */
export const apis = {
  openai: {
    path: () => '/v1/chat/completions',
    headers: { authorization: 'Bearer good-key' },
    body: (stream: boolean) => ({
      model: 'gpt-4o',
      stream,
      messages: [{ role: 'user', content: 'Tell me about trains' }],
    }),
  },
  azure: {
    path: () => '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21',
    headers: { 'api-key': 'good-key' },
    body: (stream: boolean) => ({
      stream,
      messages: [{ role: 'user', content: 'Tell me about trains' }],
    }),
  },
  anthropic: {
    path: () => '/v1/messages',
    headers: { 'x-api-key': 'good-key', 'anthropic-version': '2023-06-01' },
    body: (stream: boolean) => ({
      model: 'claude-haiku-4-5',
      max_tokens: 64,
      stream,
      messages: [{ role: 'user', content: 'Tell me about trains' }],
    }),
  },
  gemini: {
    path: (stream: boolean) =>
      stream
        ? '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'
        : '/v1beta/models/gemini-2.5-flash:generateContent',
    headers: { 'x-goog-api-key': 'good-key' },
    body: () => ({ contents: [{ role: 'user', parts: [{ text: 'Tell me about trains' }] }] }),
  },
} as const;

/** One of {@link apis}. */
export type ApiName = keyof typeof apis;

/** Calls `api` on the simulator at `base`, optionally under `/d/<deployment>` and with a fault. */
export function callApi(
  base: string,
  api: ApiName,
  options: { stream?: boolean; fault?: string; deployment?: string; signal?: AbortSignal } = {},
): Promise<ReadResponse> {
  const spec = apis[api];
  const stream = options.stream ?? false;
  const prefix = options.deployment !== undefined ? `/d/${options.deployment}` : '';
  return post(
    `${base}${prefix}${spec.path(stream)}`,
    spec.body(stream),
    { ...spec.headers, ...(options.fault !== undefined ? { 'x-sim-fault': options.fault } : {}) },
    options.signal,
  );
}
