import { parseConfig, type Deployment } from '@switchyard/config';

/** The adapters the conformance suite runs, each as the provider name in config. */
export const conformanceProviders = [
  'openai',
  'azure',
  'anthropic',
  'gemini',
  'cohere',
  'bedrock',
] as const;
export type ConformanceProvider = (typeof conformanceProviders)[number];

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
};

/** Providers whose deployments sign in without `api_key` (their credentials are in litellmParams). */
const withoutApiKey: ReadonlySet<ConformanceProvider> = new Set(['bedrock']);

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
