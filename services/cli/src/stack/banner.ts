import type { SwitchyardConfig } from '@switchyard/config';
import { noMasterKeyNotice } from './gateway-binding';

export interface BannerOptions {
  config: SwitchyardConfig;
  /** What callers use: `http://localhost:4000`. */
  url: string;
  /** The simulator's base URL when the demo runs (`http://127.0.0.1:4010`). */
  simulatorUrl?: string;
  /** The services running, for the last line. */
  services: readonly string[];
}

const demoPrompt = 'Triage this: the printer is on fire.';

/**
 * The text `up` prints once the stack is ready: where to send requests, the models, a curl
 * to paste, with the demo how to make the primary deployment fail and fall back, and without
 * a master key that the gateway is open and on loopback only.
 */
export function formatBanner(options: BannerOptions): string {
  const { config, url } = options;
  const models = Object.values(config.models);
  const first = models.find((model) => model.fallbacks.length > 0) ?? models[0];
  const auth =
    config.general.masterKey === undefined ? '' : ` -H "Authorization: Bearer $MASTER_KEY"`;
  const body = JSON.stringify({
    model: first?.name ?? 'your-model',
    messages: [{ role: 'user', content: demoPrompt }],
  });
  const width = Math.max(...models.map((model) => model.name.length));
  const lines = [
    `Switchyard is up: ${url} (OpenAI-compatible: POST /v1/chat/completions, GET /v1/models)`,
    '',
    'Models:',
    ...models.map((model) => {
      const served = model.deployments
        .map((deployment) => `${deployment.provider}/${deployment.providerModel}`)
        .join(', ');
      const fallbacks =
        model.fallbacks.length === 0 ? '' : `, falls back to ${model.fallbacks.join(' → ')}`;
      return `  ${model.name.padEnd(width)}  ${served}${fallbacks}`;
    }),
    '',
    'Try it:',
    `  curl ${url}/chat/completions -H 'Content-Type: application/json'${auth} -d '${body}'`,
  ];
  if (options.simulatorUrl !== undefined && first !== undefined && first.fallbacks.length > 0) {
    const provider = first.deployments[0]?.provider ?? 'anthropic';
    lines.push(
      '',
      `Demo fallback: make the simulated ${provider} deployment answer 429, then send the curl again`,
      `(the answer's "model" becomes ${first.fallbacks[0]}):`,
      `  curl -X POST ${options.simulatorUrl}/_sim/faults -H 'Content-Type: application/json' -d '{"provider":"${provider}","fault":"rate_limit"}'`,
      'Clear the fault:',
      `  curl -X DELETE ${options.simulatorUrl}/_sim/faults`,
    );
  }
  if (config.general.masterKey === undefined) lines.push('', `Note: ${noMasterKeyNotice}.`);
  lines.push('', `Running: ${options.services.join(', ')}. Press Ctrl-C to stop.`);
  return lines.join('\n');
}
