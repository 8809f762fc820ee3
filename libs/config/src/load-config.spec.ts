import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

const env = {
  OPENAI_API_KEY: 'sk-openai-test',
  ANTHROPIC_API_KEY: 'sk-ant-test',
  AZURE_API_KEY: 'azure-test',
  GEMINI_API_KEY: 'gemini-test',
  GROQ_API_KEY: 'groq-test',
  REDIS_PASSWORD: 'p@ss word',
  LITELLM_MASTER_KEY: 'sk-master-test',
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-test',
  AWS_SESSION_TOKEN: 'aws-session-test',
  AZURE_TENANT_ID: 'entra-tenant',
  AZURE_CLIENT_ID: 'entra-client',
  AZURE_CLIENT_SECRET: 'entra-secret',
  COHERE_API_KEY: 'cohere-test',
  // A throwaway service account key, made for this spec only.
  VERTEX_CREDENTIALS: JSON.stringify({
    type: 'service_account',
    project_id: 'key-project',
    private_key_id: 'k1',
    private_key: generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    client_email: 'switchyard@key-project.iam.gserviceaccount.com',
    token_uri: 'https://oauth2.googleapis.com/token',
  }),
};

const longBudgetWarning =
  "the budget period is longer than the 7 days the usage stream keeps events: if Redis loses its data, metering can rebuild only the last 7 days of the period's spend";

describe('loadConfig', () => {
  it('loads the seed example: two models, keys from the environment, one fallback', async () => {
    const { config, warnings } = await loadConfig(fixture('seed.yaml'), { env });
    expect(warnings).toEqual([]);
    expect(Object.keys(config.models)).toEqual(['fast-triage-model', 'careful-model']);
    const fast = config.models['fast-triage-model'];
    expect(fast?.deployments).toEqual([
      {
        id: 'fast-triage-model/0',
        modelName: 'fast-triage-model',
        provider: 'openai',
        providerModel: 'gpt-4o',
        apiKey: 'sk-openai-test',
        timeoutMs: 600_000,
        maxRetries: 2,
        weight: 1,
        limits: {},
        mode: 'chat',
      },
    ]);
    expect(fast?.fallbacks).toEqual(['careful-model']);
    const careful = config.models['careful-model'];
    expect(careful?.deployments[0]).toMatchObject({
      provider: 'anthropic',
      providerModel: 'claude-3-opus-20240229',
      apiKey: 'sk-ant-test',
    });
    expect(careful?.fallbacks).toEqual([]);
  });

  it('reads every documented LiteLLM key into typed values', async () => {
    const { config, warnings } = await loadConfig(fixture('every-key.yaml'), { env });
    expect(warnings.map((warning) => warning.replace(/^.*every-key\.yaml:/, ''))).toEqual([
      `134:24 switchyard.tenants.acme.budget_duration: ${longBudgetWarning}`,
      `137:24 switchyard.tenants.beta-team.budget_duration: ${longBudgetWarning}`,
    ]);
    expect(config.models['bedrock-model']?.deployments[0]).toMatchObject({
      provider: 'bedrock',
      providerModel: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      aws: {
        accessKeyId: 'AKIDTEST',
        secretAccessKey: 'aws-secret-test',
        sessionToken: 'aws-session-test',
      },
      awsRegion: 'eu-west-1',
      apiBase: 'https://bedrock-runtime.internal',
    });
    expect(config.models['vertex-model']?.deployments[0]?.vertex).toMatchObject({
      project: 'my-project',
      location: 'europe-west4',
      publisher: 'google',
      credentials: { client_email: 'switchyard@key-project.iam.gserviceaccount.com' },
    });
    expect(config.models['entra-model']?.deployments[0]).toMatchObject({
      provider: 'azure',
      apiVersion: 'v1',
      entra: {
        kind: 'client_secret',
        tenantId: 'entra-tenant',
        clientId: 'entra-client',
        clientSecret: 'entra-secret',
      },
    });
    expect(config.models['cohere-model']?.deployments[0]).toMatchObject({
      provider: 'cohere_chat',
      providerModel: 'command-r-plus',
      apiKey: 'cohere-test',
    });
    expect(config.models['embedding-model']?.deployments[0]).toMatchObject({
      provider: 'openai',
      mode: 'embedding',
    });
    const gpt = config.models['gpt-4o-model'];
    expect(gpt?.deployments[0]).toEqual({
      id: 'gpt-4o-eu',
      modelName: 'gpt-4o-model',
      provider: 'azure',
      providerModel: 'gpt-4o-eu',
      apiKey: 'azure-test',
      apiBase: 'https://example-eu.openai.azure.com',
      apiVersion: '2024-06-01',
      rpm: 600,
      tpm: 90_000,
      timeoutMs: 45_500,
      maxRetries: 4,
      weight: 3,
      order: 1,
      pricing: { inputPerToken: 0.0000025, outputPerToken: 0.00001 },
      limits: { maxInputTokens: 128_000, maxOutputTokens: 16_384 },
      mode: 'chat',
      baseModel: 'azure/gpt-4o',
      callDefaults: { temperature: 0.2, max_tokens: 1024 },
    });
    expect({ ...config.modelAliases }).toEqual({
      'gpt-4': { model: 'gpt-4o-model', hidden: false },
      claude: { model: 'claude-model', hidden: true },
    });
    expect(gpt?.fallbacks).toEqual(['claude-model']);
    expect(gpt?.contextWindowFallbacks).toEqual(['gemini-model']);

    const claude = config.models['claude-model'];
    expect(claude?.deployments[0]).toMatchObject({
      provider: 'anthropic',
      providerModel: 'claude-3-5-sonnet-20240620',
      timeoutMs: 30_000,
      maxRetries: 3,
      pricing: { inputPerToken: 0.000003, outputPerToken: 0.000015 },
      limits: { maxOutputTokens: 8192 },
    });
    expect(claude?.fallbacks).toEqual(['gemini-model']);
    expect(claude?.contextWindowFallbacks).toEqual(['gemini-model']);
    expect(claude?.contentPolicyFallbacks).toEqual(['gpt-4o-model']);
    expect(config.models['gemini-model']?.contentPolicyFallbacks).toEqual(['claude-model']);

    expect(config.router).toEqual({
      numRetries: 3,
      retryPolicy: {
        bad_request: 0,
        auth: 0,
        timeout: 2,
        rate_limit: 5,
        content_policy: 1,
        server: 3,
        overloaded: 6,
      },
      allowedFails: 2,
      cooldownMs: 30_000,
      defaultFallbacks: ['gemini-model'],
      maxFallbacks: 3,
      timeoutMs: 30_000,
      routingStrategy: 'simple-shuffle',
      enablePreCallChecks: true,
    });
    expect(config.cache).toEqual({
      enabled: true,
      mode: 'default_off',
      ttlMs: 600_000,
      namespace: 'sy-cache',
      redisUrl: 'redis://:p%40ss%20word@cache.internal:6380',
    });
    expect(config.dropParams).toBe(true);
    expect(config.general).toEqual({ masterKey: 'sk-master-test' });
    expect(config.switchyard).toEqual({
      nats: {
        servers: ['nats://nats-1:4222', 'nats://nats-2:4222'],
        replicas: 3,
        storage: 'memory',
        subjectRoot: 'llm.prod',
        streamPrefix: 'PROD_',
        maxBytes: {
          jobs: 2 * 1024 ** 3,
          dlq: 512 * 1024 ** 2,
          usage: 8 * 1024 ** 3,
          results: -1,
          answers: -1,
          cancels: -1,
        },
        jobsMaxMessages: -1,
        duplicateWindowMs: 120_000,
        answersMaxAgeMs: 86_400_000,
      },
      redis: { url: 'rediss://redis.internal:6380', keyPrefix: 'prod:', commandTimeoutMs: 1_500 },
      worker: {
        concurrency: 8,
        shutdownGraceMs: 12_500,
        ackWaitMs: 10_000,
        maxInFlight: 5_000,
        maxInFlightByModel: { 'gpt-4o-model': 200 },
      },
      gateway: { maxInFlight: 2_000, backlog: 1_024 },
      batches: {
        maxInFlight: 1_000,
        maxFileBytes: 209_715_200,
        maxRequestsPerFile: 50_000,
        leaseMs: 15_000,
      },
      tenants: {
        default: {},
        acme: { maxBudget: 250, budgetDurationMs: 30 * 86_400_000 },
        'beta-team': { maxBudget: 10, budgetDurationMs: 30 * 86_400_000 },
        free_tier: {},
      },
    });
  });

  it('reads the blog-style model-level max_retries and fallback_models, and the router-level ones', async () => {
    const { config, warnings } = await loadConfig(fixture('blog-style.yaml'), { env });
    expect(warnings).toEqual([]);
    const retries = (name: string) => config.models[name]?.deployments[0]?.maxRetries;
    expect(retries('gpt-4')).toBe(5);
    expect(retries('gpt-3.5-turbo')).toBe(1);
    expect(retries('claude-instant')).toBe(3);
    expect(config.router.numRetries).toBe(3);
    expect(config.models['gpt-4']?.fallbacks).toEqual(['claude-instant', 'gpt-3.5-turbo']);
    expect(config.models['gpt-3.5-turbo']?.deployments[0]?.provider).toBe('openai');
    expect(config.router.defaultFallbacks).toEqual(['claude-instant']);
  });

  it('reports every problem of a broken file, each with its line and column', async () => {
    const error = await loadConfig(fixture('broken.yaml'), { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map(({ path, line, column }) => [line, column, path])).toEqual([
      [6, 12, 'model_list[0].litellm_params.rpm'],
      [7, 15, 'model_list[0].litellm_params.weight'],
      [9, 5, 'model_list[1].litellm_params.model'],
      [13, 14, 'model_list[2].litellm_params.model'],
      [20, 11, 'model_list[3].model_info.id'],
      [22, 21, 'router_settings.routing_strategy'],
      [24, 14, 'router_settings.fallbacks[0].fast[0]'],
      [26, 20, 'litellm_settings.request_timeout'],
      [28, 15, 'general_settings.master_key'],
    ]);
    expect(problems[0]?.message).toBe('expected a positive integer, got "fast"');
    expect(problems[1]?.message).toBe('expected a positive number, got -2');
    expect(problems[2]?.message).toContain('is missing');
    expect(problems[3]?.message).toContain('provider "sagemaker" is not supported');
    expect(problems[4]?.message).toBe(
      'deployment id "shared-id" is already used by model_list[2].model_info.id',
    );
    expect(problems[6]?.message).toBe('fallback model "gpt-5" is not in model_list');
    const lines = message.split('\n');
    expect(lines).toHaveLength(problems.length + 1);
    expect(lines[1]).toBe(
      `${fixture('broken.yaml')}:6:12 model_list[0].litellm_params.rpm: expected a positive integer, got "fast"`,
    );
    expect(message).not.toContain('SECRET123');
  });

  it('loads a load-balanced group of three deployments under one name', async () => {
    const { config } = await loadConfig(fixture('load-balanced.yaml'), { env });
    const group = config.models['fast-triage-model'];
    expect(
      group?.deployments.map(({ id, provider, weight, order, rpm, tpm }) => ({
        id,
        provider,
        weight,
        order,
        rpm,
        tpm,
      })),
    ).toEqual([
      {
        id: 'fast-triage-model/0',
        provider: 'openai',
        weight: 2,
        order: 1,
        rpm: 500,
        tpm: undefined,
      },
      {
        id: 'fast-triage-model/1',
        provider: 'azure',
        weight: 1,
        order: 1,
        rpm: 300,
        tpm: undefined,
      },
      { id: 'groq-backup', provider: 'groq', weight: 1, order: 2, rpm: undefined, tpm: 200_000 },
    ]);
  });

  it('loads config.example.yaml without warnings', async () => {
    const path = fileURLToPath(new URL('../../../config.example.yaml', import.meta.url));
    const { config, warnings } = await loadConfig(path, { env });
    expect(warnings).toEqual([]);
    expect(Object.keys(config.models)).toEqual(['fast-triage-model', 'careful-model']);
    expect(config.models['fast-triage-model']?.fallbacks).toEqual(['careful-model']);
  });

  it('says the file was not found, keeping the cause', async () => {
    const error = await loadConfig(fixture('nope.yaml'), { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('config file not found');
    expect((error as ConfigError).cause).toMatchObject({ code: 'ENOENT' });
  });

  it('says so when the path is a directory', async () => {
    const error = await loadConfig(fixture(''), { env }).catch((e: unknown) => e);
    expect((error as ConfigError).problems[0]?.message).toBe('expected a file, found a directory');
  });
});
