import type { OpenAiCompatibleProvider } from '../openai-compatible.types';
import { ProviderError } from '../../provider-error';
import { openAiExtraBodyFields } from './openai.provider';

/**
 * Azure OpenAI: the deployment name (`azure/<deployment>`) is in the path, the API version in
 * the query, the key in an `api-key` header. `api_base` and `api_version` are required.
 */
export const azureProvider: OpenAiCompatibleProvider = {
  name: 'azure',
  chatUrl: (apiBase, deployment) => {
    if (deployment.apiVersion === undefined || deployment.apiVersion.trim() === '') {
      throw new ProviderError(
        'bad_request',
        'missing_api_version',
        `azure deployments need api_version (deployment ${deployment.id})`,
        { provider: 'azure', param: 'api_version' },
      );
    }
    const name = encodeURIComponent(deployment.providerModel);
    const version = encodeURIComponent(deployment.apiVersion.trim());
    return `${apiBase}/openai/deployments/${name}/chat/completions?api-version=${version}`;
  },
  auth: 'api-key',
  apiKeyRequired: true,
  params: {},
  extraBodyFields: [...openAiExtraBodyFields, 'data_sources'],
  messages: { developerRole: true, names: true },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  references: [
    'https://learn.microsoft.com/azure/ai-services/openai/reference',
    'https://learn.microsoft.com/azure/ai-services/openai/concepts/content-filter',
  ],
};
