import { parseConfig } from '@switchyard/config';
import { createLogger } from '@switchyard/telemetry';
import { describe, expect, it } from 'vitest';
import { warnUnpricedDeployments } from './unpriced-deployments';

describe('warnUnpricedDeployments', () => {
  it('warns once per deployment with no known price, naming it', () => {
    const { config } = parseConfig(
      [
        'model_list:',
        '  - model_name: known',
        '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
        '  - model_name: local',
        '    litellm_params: { model: hosted_vllm/llama-3, api_base: "http://127.0.0.1:8000/v1" }',
        '  - model_name: local-priced',
        '    litellm_params: { model: hosted_vllm/llama-3, api_base: "http://127.0.0.1:8000/v1", input_cost_per_token: 0, output_cost_per_token: 0.000001 }',
        '  - model_name: snapshot',
        '    litellm_params: { model: openai/gpt-4o-2024-05-13, api_key: k }',
      ].join('\n'),
      { env: {} },
    );
    const lines: string[] = [];
    const logger = createLogger({
      name: 'spec',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const deployments = Object.values(config.models).flatMap((model) => model.deployments);
    const unpriced = warnUnpricedDeployments(deployments, logger);
    expect(unpriced.map((d) => d.id)).toEqual(['local/0', 'snapshot/0']);
    const warnings = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({
      level: 40,
      deployment: 'local/0',
      provider: 'hosted_vllm',
      providerModel: 'llama-3',
    });
    expect(String(warnings[1]?.['msg'])).toMatch(/cost unknown.*input_cost_per_token/);
  });
});
