import type { Route } from './providers/provider';
import type { SimProviderName } from './scenario';

/** Where a request goes: a provider API, the control API, or nowhere (with a guessed shape). */
export type RouteResult =
  | { kind: 'provider'; route: Route }
  | { kind: 'control'; path: string; query: URLSearchParams }
  | { kind: 'entra_token'; tenant: string }
  | { kind: 'google_token' }
  | { kind: 'unknown'; provider: SimProviderName; deployment?: string; path: string };

/** Google's OAuth 2.0 token endpoint (`https://oauth2.googleapis.com/token`); `/google` is optional. */
const googleTokenPath = /^(?:\/google)?\/token$/;
/**
 * Vertex AI's publisher model methods, `/vertex` optional, API version v1 or v1beta1:
 * `…/projects/{p}/locations/{l}/publishers/{google|anthropic}/models/{model}:{method}`
 * (`:predict` is Google's text embeddings).
 */
const vertexPath =
  /^(?:\/vertex)?\/(?:v1|v1beta1)\/projects\/[^/]+\/locations\/[^/]+\/publishers\/(google|anthropic)\/models\/([^/:]+):(generateContent|streamGenerateContent|rawPredict|streamRawPredict|predict)$/;
const deploymentPrefix = /^\/d\/([^/]+)(\/.*)$/;
const entraTokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const azurePath = /^(?:\/azure)?\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;
/** Azure's v1 API; `/azure` tells it apart from OpenAI's own `/openai/v1/chat/completions`. */
const azureV1Path = /^\/azure\/openai\/v1\/(chat\/completions|embeddings)$/;
const openAiPath = /^(?:\/openai)?(?:\/v1)?\/chat\/completions$/;
const openAiEmbeddingsPath = /^(?:\/openai)?(?:\/v1)?\/embeddings$/;
const anthropicPath = /^(?:\/anthropic)?(?:\/v1)?\/messages$/;
/** Cohere's v2 Chat API; `/cohere` is optional. */
const coherePath = /^(?:\/cohere)?\/v2\/chat$/;
/** Cohere's v2 Embed API. */
const cohereEmbedPath = /^(?:\/cohere)?\/v2\/embed$/;
/** Bedrock Runtime's Converse API; the model id is one (percent-encoded) path segment. */
const bedrockPath = /^(?:\/bedrock)?\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;
const geminiPath =
  /^(?:\/gemini)?\/(?:v1beta|v1|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function guessProvider(path: string): SimProviderName {
  if (path.includes('/publishers/anthropic/')) return 'vertex_anthropic';
  if (path.includes('/publishers/') || path.includes('aiplatform')) return 'vertex_gemini';
  if (path.includes('cohere') || path.startsWith('/v2/')) return 'cohere';
  if (path.includes('bedrock') || path.includes('/converse')) return 'bedrock';
  if (path.includes('/deployments/')) return 'azure';
  if (path.includes('anthropic') || path.endsWith('/messages')) return 'anthropic';
  if (path.includes('gemini') || path.includes('/v1beta') || path.includes(':generateContent')) {
    return 'gemini';
  }
  return 'openai';
}

/**
 * Routes a request line. Provider paths may carry `/d/<deployment>` first (the deployment
 * name for scripting and stats) and then an `/openai`, `/anthropic`, `/gemini`, `/cohere` (or `/azure`)
 * prefix before the provider's own path; `/v1` is optional for OpenAI and Anthropic. Only POST
 * reaches a provider. `/_sim/…` is the control API.
 */
export function resolveRoute(method: string, url: string): RouteResult {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  if (rawPath === '/_sim' || rawPath.startsWith('/_sim/')) {
    return { kind: 'control', path: rawPath, query };
  }
  let path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  const entra = method === 'POST' ? entraTokenPath.exec(path) : null;
  if (entra) return { kind: 'entra_token', tenant: decode(entra[1] ?? '') };
  if (method === 'POST' && googleTokenPath.test(path)) return { kind: 'google_token' };
  let deployment: string | undefined;
  const prefixed = deploymentPrefix.exec(path);
  if (prefixed) {
    deployment = decode(prefixed[1] ?? '');
    path = prefixed[2] ?? '/';
  }
  const withDeployment = deployment !== undefined ? { deployment } : {};
  const unknown = (): RouteResult => ({
    kind: 'unknown',
    provider: guessProvider(path),
    path: rawPath,
    ...withDeployment,
  });
  if (method !== 'POST') return unknown();
  const azure = azurePath.exec(path);
  if (azure) {
    const apiVersion = query.get('api-version');
    return {
      kind: 'provider',
      route: {
        provider: 'azure',
        pathModel: decode(azure[1] ?? ''),
        ...(azure[2] === 'embeddings' ? { embeddings: true } : {}),
        ...(apiVersion !== null ? { apiVersion } : {}),
        query,
        ...withDeployment,
      },
    };
  }
  const azureV1 = azureV1Path.exec(path);
  if (azureV1) {
    const apiVersion = query.get('api-version') ?? 'v1';
    const embeddings = azureV1[1] === 'embeddings' ? { embeddings: true } : {};
    return {
      kind: 'provider',
      route: { provider: 'azure', apiVersion, query, ...embeddings, ...withDeployment },
    };
  }
  if (openAiEmbeddingsPath.test(path)) {
    return {
      kind: 'provider',
      route: { provider: 'openai', embeddings: true, query, ...withDeployment },
    };
  }
  if (openAiPath.test(path))
    return { kind: 'provider', route: { provider: 'openai', query, ...withDeployment } };
  if (anthropicPath.test(path)) {
    return { kind: 'provider', route: { provider: 'anthropic', query, ...withDeployment } };
  }
  if (coherePath.test(path)) {
    return { kind: 'provider', route: { provider: 'cohere', query, ...withDeployment } };
  }
  if (cohereEmbedPath.test(path)) {
    return {
      kind: 'provider',
      route: { provider: 'cohere', embeddings: true, query, ...withDeployment },
    };
  }
  const bedrock = bedrockPath.exec(path);
  if (bedrock) {
    return {
      kind: 'provider',
      route: {
        provider: 'bedrock',
        pathModel: decode(bedrock[1] ?? ''),
        stream: bedrock[2] === 'converse-stream',
        ...(bedrock[2] === 'invoke' ? { embeddings: true } : {}),
        query,
        ...withDeployment,
      },
    };
  }
  const vertex = vertexPath.exec(path);
  if (vertex) {
    const google = vertex[1] === 'google';
    const action = vertex[3] ?? '';
    if (action === 'predict' && !google) return unknown();
    return {
      kind: 'provider',
      route: {
        provider: google ? 'vertex_gemini' : 'vertex_anthropic',
        pathModel: decode(vertex[2] ?? ''),
        stream: action.startsWith('stream'),
        ...(google ? { sse: query.get('alt') === 'sse' } : {}),
        ...(action === 'predict' ? { embeddings: true } : {}),
        query,
        ...withDeployment,
      },
    };
  }
  const gemini = geminiPath.exec(path);
  if (gemini) {
    return {
      kind: 'provider',
      route: {
        provider: 'gemini',
        pathModel: decode(gemini[1] ?? ''),
        stream: gemini[2] === 'streamGenerateContent',
        ...(gemini[2] === 'batchEmbedContents' ? { embeddings: true } : {}),
        sse: query.get('alt') === 'sse',
        query,
        ...withDeployment,
      },
    };
  }
  return unknown();
}
