import { parseConfig, type Deployment, type Provider } from '@switchyard/config';
import { testServiceAccount, vertexCredentialsParam } from './vertex-service-account';

/**
 * The deployments the conformance suite runs: each the provider name in config, except where one
 * provider serves different APIs (`vertex_ai_claude`: Claude on Vertex AI; see providerOf).
 */
export const conformanceProviders = [
  'openai',
  'azure',
  'anthropic',
  'gemini',
  'cohere',
  'bedrock',
  'vertex_ai',
  'vertex_ai_claude',
] as const;
export type ConformanceProvider = (typeof conformanceProviders)[number];

/** The provider (and so the adapter) a conformance case runs. */
export function providerOf(name: ConformanceProvider): Provider {
  return name === 'vertex_ai_claude' ? 'vertex_ai' : name;
}

/** One throwaway service account per simulator, signing in at its token endpoint. */
const serviceAccounts = new Map<string, string>();
function vertexCredentials(simUrl: string): string {
  let param = serviceAccounts.get(simUrl);
  if (param === undefined) {
    param = vertexCredentialsParam(testServiceAccount(simUrl).credentials);
    serviceAccounts.set(simUrl, param);
  }
  return param;
}

const litellmParams: Record<ConformanceProvider, (simUrl: string, name: string) => string[]> = {
  openai: (simUrl, name) => ['model: openai/gpt-4o-mini', `api_base: ${simUrl}/d/${name}/v1`],
  azure: (simUrl, name) => [
    `model: azure/${name}-gpt-4o`,
    `api_base: ${simUrl}/d/${name}`,
    'api_version: 2024-10-21',
  ],
  anthropic: (simUrl, name) => [
    'model: anthropic/claude-3-5-haiku-20241022',
    `api_base: ${simUrl}/d/${name}`,
  ],
  gemini: (simUrl, name) => ['model: gemini/gemini-2.0-flash', `api_base: ${simUrl}/d/${name}`],
  cohere: (simUrl, name) => [
    'model: cohere/command-a-03-2025',
    `api_base: ${simUrl}/d/${name}/cohere`,
  ],
  // Signed with SigV4 (the simulator checks the signature against its secret, sim-secret).
  bedrock: (simUrl, name) => [
    'model: bedrock/anthropic.claude-3-5-haiku-20241022-v1:0',
    `aws_bedrock_runtime_endpoint: ${simUrl}/d/${name}/bedrock`,
    'aws_access_key_id: AKIDSIMULATOR',
    'aws_secret_access_key: sim-secret',
    'aws_region_name: us-east-1',
  ],
  // A service account whose JWT the simulator's token endpoint exchanges for a Bearer token.
  vertex_ai: (simUrl, name) => [
    'model: vertex_ai/gemini-2.0-flash',
    'vertex_project: sim-project',
    'vertex_location: us-central1',
    `api_base: ${simUrl}/d/${name}/vertex`,
    vertexCredentials(simUrl),
  ],
  vertex_ai_claude: (simUrl, name) => [
    'model: vertex_ai/claude-3-5-haiku@20241022',
    'vertex_project: sim-project',
    'vertex_location: us-east5',
    `api_base: ${simUrl}/d/${name}/vertex`,
    vertexCredentials(simUrl),
  ],
};

/** Providers whose deployments sign in without `api_key` (their credentials are in litellmParams). */
const withoutApiKey: ReadonlySet<ConformanceProvider> = new Set([
  'bedrock',
  'vertex_ai',
  'vertex_ai_claude',
]);

let counter = 0;

/**
 * A deployment of `provider` on the simulator, under a deployment name of its own, so that
 * faults scripted for it touch no other test. Built through the real config loader.
 */
export function simDeployment(
  provider: ConformanceProvider,
  simUrl: string,
  options: { timeoutSeconds?: number } = {},
): { deployment: Deployment; simName: string } {
  counter += 1;
  const simName = `${provider}-${counter}`;
  const yaml = [
    'model_list:',
    `  - model_name: ${simName}`,
    '    litellm_params:',
    ...litellmParams[provider](simUrl, simName).map((line) => `      ${line}`),
    ...(withoutApiKey.has(provider) ? [] : ['      api_key: sim-test-key']),
    ...(options.timeoutSeconds === undefined ? [] : [`      timeout: ${options.timeoutSeconds}`]),
  ].join('\n');
  const { config } = parseConfig(yaml, { env: {} });
  const deployment = config.models[simName]?.deployments[0];
  if (deployment === undefined) throw new Error(`no deployment parsed for ${simName}`);
  return { deployment, simName };
}
