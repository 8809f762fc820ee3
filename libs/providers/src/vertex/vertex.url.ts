import type { VertexSettings } from '@switchyard/config';

/** The API version of every Vertex AI path Switchyard calls. */
const apiVersionPath = /\/v1(?:beta1)?$/;

/**
 * The API root of a Vertex AI deployment: `https://{location}-aiplatform.googleapis.com/v1`
 * (`https://aiplatform.googleapis.com/v1` for the `global` location), or `api_base` in its place,
 * with `/v1` added unless it already ends in `/v1` or `/v1beta1`.
 */
export function vertexApiRoot(vertex: VertexSettings, apiBase: string | undefined): string {
  if (apiBase !== undefined) {
    const base = apiBase.replace(/\/+$/, '');
    return apiVersionPath.test(base) ? base : `${base}/v1`;
  }
  const host =
    vertex.location === 'global'
      ? 'aiplatform.googleapis.com'
      : `${vertex.location}-aiplatform.googleapis.com`;
  return `https://${host}/v1`;
}

/** A path segment, percent-encoded except for the `@` of versioned Claude model names. */
function segment(text: string): string {
  return encodeURIComponent(text).replaceAll('%40', '@');
}

/**
 * The URL of a publisher model's method, such as
 * `…/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`.
 * `method` may carry a query (`streamGenerateContent?alt=sse`).
 */
export function vertexModelUrl(
  vertex: VertexSettings,
  apiBase: string | undefined,
  model: string,
  method: string,
): string {
  const root = vertexApiRoot(vertex, apiBase);
  return `${root}/projects/${segment(vertex.project)}/locations/${segment(vertex.location)}/publishers/${vertex.publisher}/models/${segment(model)}:${method}`;
}
