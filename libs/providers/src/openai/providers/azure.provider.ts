import type { OpenAiCompatibleProvider } from '../openai-compatible.types';
import { openAiExtraBodyFields } from './openai.provider';

/**
 * The `api_version` values that choose Azure's v1 API (`/openai/v1/…`, no dated version; the
 * deployment goes in the body's `model`), and the query each adds. Without `api_version` the v1
 * API is used too.
 */
const v1ApiVersions: Readonly<Record<string, string>> = {
  v1: '',
  latest: '',
  preview: '?api-version=preview',
};

/**
 * Azure OpenAI: the key in an `api-key` header (or an Entra ID bearer). A dated `api_version`
 * (`2024-10-21`) calls the deployment's own path with the version in the query; `v1`, `latest`,
 * `preview` or none call the v1 API with the deployment name as the model. `api_base` is required.
 */
export const azureProvider: OpenAiCompatibleProvider = {
  name: 'azure',
  chatUrl: (apiBase, deployment) => {
    const version = deployment.apiVersion?.trim() || 'v1';
    const v1Query = v1ApiVersions[version];
    if (v1Query !== undefined) return `${apiBase}/openai/v1/chat/completions${v1Query}`;
    const name = encodeURIComponent(deployment.providerModel);
    return `${apiBase}/openai/deployments/${name}/chat/completions?api-version=${encodeURIComponent(version)}`;
  },
  auth: 'api-key',
  apiKeyRequired: true,
  params: {},
  extraBodyFields: [...openAiExtraBodyFields, 'data_sources'],
  messages: { developerRole: true, names: true },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  embeddings: {
    url: (apiBase, deployment) => {
      const version = deployment.apiVersion?.trim() || 'v1';
      const v1Query = v1ApiVersions[version];
      if (v1Query !== undefined) return `${apiBase}/openai/v1/embeddings${v1Query}`;
      const name = encodeURIComponent(deployment.providerModel);
      return `${apiBase}/openai/deployments/${name}/embeddings?api-version=${encodeURIComponent(version)}`;
    },
  },
  references: [
    'https://learn.microsoft.com/azure/ai-services/openai/reference',
    'https://learn.microsoft.com/azure/ai-services/openai/concepts/content-filter',
  ],
};
