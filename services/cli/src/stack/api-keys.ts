import { providerEnvDefaults, type Deployment, type SwitchyardConfig } from '@switchyard/config';

const keylessProviders = new Set<string>(['ollama', 'ollama_chat']);

/**
 * The deployments that would call a provider's public endpoint without an API key: no
 * `api_key` in the config, none in the provider's environment variable, and no `api_base`
 * of their own (a self-hosted endpoint may need no key).
 */
export function deploymentsWithoutKey(config: SwitchyardConfig): Deployment[] {
  return Object.values(config.models).flatMap((model) =>
    model.deployments.filter(
      (deployment) =>
        deployment.apiKey === undefined &&
        deployment.apiBase === undefined &&
        !keylessProviders.has(deployment.provider),
    ),
  );
}

/** The environment variables that would give these deployments their keys. */
export function keyVariables(deployments: readonly Deployment[]): string[] {
  const names = deployments.flatMap((deployment) =>
    providerEnvDefaults[deployment.provider].apiKey.slice(0, 1),
  );
  return [...new Set(names)];
}
