import { describe, expect, it } from 'vitest';
import { parse, problemsOf, specEnv, yaml } from './spec-helpers';

const oneModel = (params: string, extra = '') => yaml`
  model_list:
    - model_name: m
      litellm_params: { ${params} }
      ${extra}
`;

describe('deployments', () => {
  it.each([
    ['gpt-4o-mini', 'openai'],
    ['o1-preview', 'openai'],
    ['o3-mini', 'openai'],
    ['o4-mini', 'openai'],
    ['chatgpt-4o-latest', 'openai'],
    ['claude-3-haiku-20240307', 'anthropic'],
    ['gemini-1.5-flash', 'gemini'],
  ])('infers the provider of a bare %s as %s', (model, provider) => {
    const { config } = parse(oneModel(`model: ${model}`), {
      OPENAI_API_KEY: 'o',
      ANTHROPIC_API_KEY: 'a',
      GEMINI_API_KEY: 'g',
    });
    expect(config.models['m']?.deployments[0]).toMatchObject({ provider, providerModel: model });
  });

  it('asks for provider/model when it cannot infer the provider', () => {
    expect(problemsOf(oneModel('model: llama3'))).toEqual([
      {
        path: 'model_list[0].litellm_params.model',
        line: 3,
        column: 30,
        message:
          'cannot tell the provider of "llama3"; write it as "provider/model", e.g. "openai/llama3"',
      },
    ]);
  });

  it('splits on the first slash', () => {
    const { config } = parse(oneModel('model: openrouter/meta-llama/llama-3-70b-instruct'));
    expect(config.models['m']?.deployments[0]).toMatchObject({
      provider: 'openrouter',
      providerModel: 'meta-llama/llama-3-70b-instruct',
    });
  });

  it('lists the supported providers when one is not', () => {
    const [problem] = problemsOf(oneModel('model: sagemaker/jumpstart-llama-3'));
    expect(problem?.message).toBe(
      'provider "sagemaker" is not supported; supported providers: openai, azure, anthropic, gemini, groq, mistral, deepseek, together_ai, fireworks_ai, openrouter, xai, perplexity, hosted_vllm, ollama, ollama_chat, lm_studio, cohere, cohere_chat, bedrock, vertex_ai',
    );
  });

  it('derives ids from the model name and the index within it, and rejects duplicates', () => {
    const text = yaml`
      model_list:
        - model_name: a
          litellm_params: { model: openai/gpt-4o }
        - model_name: b
          litellm_params: { model: openai/gpt-4o }
          model_info: { id: a/1 }
        - model_name: a
          litellm_params: { model: openai/gpt-4o-mini }
        - model_name: c
          litellm_params: { model: openai/gpt-4o }
          model_info: { id: 42 }
    `;
    expect(problemsOf(text)).toEqual([
      {
        path: 'model_list[2]',
        line: 7,
        column: 5,
        message: 'deployment id "a/1" is already used by model_list[1].model_info.id',
      },
    ]);
    const { config } = parse(text.replace('id: a/1', 'id: b-main'));
    expect(config.models['a']?.deployments.map((d) => d.id)).toEqual(['a/0', 'a/1']);
    expect(config.models['b']?.deployments[0]?.id).toBe('b-main');
    expect(config.models['c']?.deployments[0]?.id).toBe('42');
  });

  describe('retries: litellm_params.max_retries > model max_retries > router > litellm_settings > 2', () => {
    const config = (entry: string, router: string, litellm: string) => yaml`
      model_list:
        - model_name: m
          litellm_params: { model: openai/gpt-4o${entry.includes('params') ? ', max_retries: 7' : ''} }
          ${entry.includes('model') ? 'max_retries: 6' : ''}
      router_settings: { ${router} }
      litellm_settings: { ${litellm} }
    `;
    it.each([
      ['params model', 'num_retries: 5', 'num_retries: 3', 7],
      ['model', 'num_retries: 5', 'num_retries: 3', 6],
      ['', 'num_retries: 5', 'num_retries: 3', 5],
      ['', 'max_retries: 4', 'num_retries: 3', 4],
      ['', '', 'num_retries: 3', 3],
      ['', '', '', 2],
    ])('entry %j, router {%s}, litellm {%s} → %i', (entry, router, litellm, expected) => {
      const loaded = parse(config(entry, router, litellm));
      expect(loaded.config.models['m']?.deployments[0]?.maxRetries).toBe(expected);
    });
  });

  describe('timeouts: litellm_params.timeout > router timeout > request_timeout > 600 s', () => {
    it.each([
      ['timeout: 1.5', 'timeout: 20', 'request_timeout: 30', 1_500],
      ['', 'timeout: 20', 'request_timeout: 30', 20_000],
      ['', '', 'request_timeout: 30.25', 30_250],
      ['', '', '', 600_000],
    ])('params {%s}, router {%s}, litellm {%s} → %i ms', (params, router, litellm, expected) => {
      const { config } = parse(yaml`
        model_list:
          - model_name: m
            litellm_params: { model: openai/gpt-4o, ${params} }
        router_settings: { ${router} }
        litellm_settings: { ${litellm} }
      `);
      expect(config.models['m']?.deployments[0]?.timeoutMs).toBe(expected);
    });
  });

  it('takes prices from litellm_params over model_info, and wants both of a pair', () => {
    const { config } = parse(
      oneModel(
        'model: openai/gpt-4o, input_cost_per_token: 0.000001',
        'model_info: { input_cost_per_token: 0.5, output_cost_per_token: 0.000002 }',
      ),
    );
    expect(config.models['m']?.deployments[0]?.pricing).toEqual({
      inputPerToken: 0.000001,
      outputPerToken: 0.000002,
    });
    expect(problemsOf(oneModel('model: openai/gpt-4o, output_cost_per_token: 0.1'))).toEqual([
      expect.objectContaining({
        path: 'model_list[0].litellm_params.output_cost_per_token',
        message:
          'output_cost_per_token is set but input_cost_per_token is not; set both, or neither to use the built-in price table',
      }),
    ]);
  });

  it('reads limits from model_info, max_tokens standing in for max_output_tokens', () => {
    const { config } = parse(
      oneModel('model: openai/gpt-4o', 'model_info: { max_input_tokens: 1000, max_tokens: 200 }'),
    );
    expect(config.models['m']?.deployments[0]?.limits).toEqual({
      maxInputTokens: 1000,
      maxOutputTokens: 200,
    });
  });

  it("falls back to the provider's usual environment variables, as LiteLLM does", () => {
    const { config } = parse(
      yaml`
        model_list:
          - model_name: m
            litellm_params: { model: openai/gpt-4o }
          - model_name: t
            litellm_params: { model: together_ai/meta-llama/Llama-3-8b }
          - model_name: z
            litellm_params: { model: azure/gpt-4o }
          - model_name: z
            litellm_params: { model: azure/gpt-4o, api_key: own, api_base: 'https://own.example' }
      `,
      {
        OPENAI_API_KEY: 'env-openai',
        TOGETHER_API_KEY: '',
        TOGETHERAI_API_KEY: 'env-together',
        AZURE_API_KEY: 'env-azure',
        AZURE_API_BASE: 'https://env.openai.azure.com',
        AZURE_API_VERSION: '2024-06-01',
      },
    );
    expect(config.models['m']?.deployments[0]?.apiKey).toBe('env-openai');
    expect(config.models['t']?.deployments[0]?.apiKey).toBe('env-together');
    expect(config.models['z']?.deployments[0]).toMatchObject({
      apiKey: 'env-azure',
      apiBase: 'https://env.openai.azure.com',
      apiVersion: '2024-06-01',
    });
    expect(config.models['z']?.deployments[1]).toMatchObject({
      apiKey: 'own',
      apiBase: 'https://own.example',
      apiVersion: '2024-06-01',
    });
  });

  it('needs an api_base for azure and hosted_vllm', () => {
    const problems = problemsOf(
      yaml`
        model_list:
          - model_name: a
            litellm_params: { model: azure/gpt-4o }
          - model_name: v
            litellm_params: { model: hosted_vllm/llama }
          - model_name: o
            litellm_params: { model: ollama/llama3 }
      `,
      { AZURE_API_KEY: 'k' },
    );
    expect(problems.map((p) => p.message)).toEqual([
      'azure deployments need api_base (or AZURE_API_BASE in the environment)',
      'hosted_vllm deployments need api_base (or HOSTED_VLLM_API_BASE in the environment)',
    ]);
  });

  it('rejects a malformed api_base from the environment by naming the variable only', () => {
    const [problem] = problemsOf(oneModel('model: ollama/llama3'), { OLLAMA_API_BASE: 'nope' });
    expect(problem?.message).toBe(
      'environment variable OLLAMA_API_BASE (the default api_base of ollama) is not an http(s) URL',
    );
  });

  it('warns about a model that is neither a chat nor an embedding model', () => {
    const embedding = parse(
      oneModel('model: openai/text-embedding-3-small', 'model_info: { mode: embedding }'),
    );
    expect(embedding.warnings).toEqual([]);
    const { warnings } = parse(
      oneModel('model: openai/dall-e-3', 'model_info: { mode: image_generation }'),
    );
    expect(warnings).toEqual([
      'config.yaml:4:25 model_list[0].model_info.mode: model "m" has mode "image_generation"; Switchyard serves chat completions and embeddings only, so requests to it will fail',
    ]);
  });

  it('reads Entra ID credentials of Azure deployments, and refuses them elsewhere or half given', () => {
    const azure = (params: string) =>
      oneModel(
        `model: azure/gpt-4o, api_base: "https://x.openai.azure.com", api_version: "2024-10-21", ${params}`,
      );
    const secret = parse(azure('tenant_id: t, client_id: c, client_secret: os.environ/SECRET'), {
      SECRET: 's',
    });
    expect(secret.config.models['m']?.deployments[0]?.entra).toEqual({
      kind: 'client_secret',
      tenantId: 't',
      clientId: 'c',
      clientSecret: 's',
      authorityHost: 'https://login.microsoftonline.com',
    });
    const sovereign = parse(azure('tenant_id: t, client_id: c, client_secret: s'), {
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/',
    });
    expect(sovereign.config.models['m']?.deployments[0]?.entra).toMatchObject({
      authorityHost: 'https://login.microsoftonline.us',
    });
    expect(parse(azure('azure_ad_token: tok')).config.models['m']?.deployments[0]?.entra).toEqual({
      kind: 'token',
      token: 'tok',
    });
    const messages = (text: string) =>
      problemsOf(text, specEnv).map(
        (p) => `${p.path.replace('model_list[0].litellm_params.', '')}: ${p.message}`,
      );
    expect(messages(oneModel('model: openai/gpt-4o, azure_ad_token: tok'))).toEqual([
      'azure_ad_token: is for azure deployments only',
    ]);
    expect(messages(azure('tenant_id: t, client_id: c'))).toEqual([
      'tenant_id: Entra ID sign-in needs client_secret as well',
    ]);
    expect(messages(azure('api_key: k, azure_ad_token: tok'))).toEqual([
      'api_key: set api_key or Entra ID credentials (azure_ad_token), not both',
    ]);
    expect(messages(azure('azure_ad_token: tok, client_id: c'))).toEqual([
      'azure_ad_token: set azure_ad_token or tenant_id, client_id, client_secret, not both',
    ]);
  });

  it("reads rpm and tpm where LiteLLM's router does: the entry, then litellm_params, then model_info", () => {
    const text = yaml`
      model_list:
        - model_name: m
          rpm: 10
          litellm_params: { model: openai/gpt-4o, rpm: 20, tpm: 2000 }
          model_info: { rpm: 30, tpm: 3000 }
        - model_name: m
          litellm_params: { model: openai/gpt-4o }
          model_info: { rpm: 30, tpm: 3000 }
    `;
    const [first, second] = parse(text, specEnv).config.models['m']?.deployments ?? [];
    expect([first?.rpm, first?.tpm]).toEqual([10, 2000]);
    expect([second?.rpm, second?.tpm]).toEqual([30, 3000]);
  });

  it('reads the call defaults of litellm_params, checked as a request would be', () => {
    const { config } = parse(
      oneModel('model: openai/gpt-4o, temperature: 0.2, max_tokens: 256, stop: [END], seed: 7'),
      specEnv,
    );
    expect(config.models['m']?.deployments[0]?.callDefaults).toEqual({
      temperature: 0.2,
      max_tokens: 256,
      stop: ['END'],
      seed: 7,
    });
    expect(
      parse(oneModel('model: openai/gpt-4o'), specEnv).config.models['m']?.deployments[0],
    ).not.toHaveProperty('callDefaults');
    const problems = problemsOf(
      oneModel('model: openai/gpt-4o, temperature: 9, max_tokens: 0, reasoning_effort: loads'),
      specEnv,
    );
    expect(problems.map((p) => p.path)).toEqual([
      'model_list[0].litellm_params.temperature',
      'model_list[0].litellm_params.max_tokens',
      'model_list[0].litellm_params.reasoning_effort',
    ]);
  });

  it('rejects invalid values with what was expected and what was found', () => {
    const problems = problemsOf(
      oneModel(
        'model: openai/gpt-4o, rpm: 1.5, tpm: "lots", weight: 0, order: 0, timeout: -1, max_retries: -1, api_base: example.com',
      ),
      specEnv,
    );
    expect(
      problems.map((p) => `${p.path.replace('model_list[0].litellm_params.', '')}: ${p.message}`),
    ).toEqual([
      'rpm: expected a positive integer, got 1.5',
      'tpm: expected a positive integer, got "lots"',
      'weight: expected a positive number, got 0',
      'order: expected a positive integer, got 0',
      'timeout: expected a positive number of seconds, got -1',
      'max_retries: expected a whole number (0 or more), got -1',
      'api_base: expected an http(s) URL, got a string',
    ]);
  });
});
