import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './parse-config';
import { configErrorOf, parse, problemsOf, specEnv, twoModels, yaml } from './spec-helpers';

describe('parseConfig', () => {
  it('lists every unsupported key with its path and line in one warning, and still loads', () => {
    const { config, warnings } = parse(yaml`
      model_list:
        - model_name: fast
          litellm_params:
            model: openai/gpt-4o-mini
            api_key: os.environ/OPENAI_API_KEY
            litellm_credential_name: shared-creds
          model_info:
            description: the fast one
      litellm_settings:
        set_verbose:
        success_callback: ["langfuse"]
      general_settings:
        master_key: sk-1234
        database_url: os.environ/DATABASE_URL
      environment_variables:
        FOO: bar
    `);
    expect(warnings).toEqual([
      'config.yaml: 6 unsupported keys are ignored: ' +
        'model_list[0].litellm_params.litellm_credential_name (line 6), ' +
        'model_list[0].model_info.description (line 8), ' +
        'litellm_settings.set_verbose (line 10), ' +
        'litellm_settings.success_callback (line 11), ' +
        'general_settings.database_url (line 14), ' +
        'environment_variables (line 15)',
    ]);
    expect(config.general.masterKey).toBe('sk-1234');
    expect(config.models['fast']?.deployments).toHaveLength(1);
  });

  it('uses the singular for one unsupported key and the given source name', () => {
    const { warnings } = parseConfig(`${twoModels}router_settings:\n  redis_host: localhost\n`, {
      env: specEnv,
      source: 'prod.yaml',
    });
    expect(warnings).toEqual([
      'prod.yaml: 1 unsupported key is ignored: router_settings.redis_host (line 11)',
    ]);
  });

  it('reports invalid YAML as a ConfigError with line and column', () => {
    const error = configErrorOf('model_list:\n  - model_name: a\n    litellm_params: [1, 2\n');
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems[0]).toMatchObject({ path: '', line: 4, column: 1 });
    expect(error.problems[0]?.message).toMatch(/^invalid YAML: /);
    expect(error.message.split('\n')[1]).toMatch(/^config\.yaml:4:1 invalid YAML: /);
  });

  it('rejects duplicate keys, as YAML requires', () => {
    const problems = problemsOf(`${twoModels}model_list: []\n`);
    expect(problems).toEqual([
      expect.objectContaining({ line: 10, message: 'invalid YAML: Map keys must be unique' }),
    ]);
  });

  it('accepts YAML anchors and merge keys, as PyYAML does', () => {
    const { config } = parse(yaml`
      x-defaults: &defaults
        api_key: os.environ/OPENAI_API_KEY
        timeout: 30
      model_list:
        - model_name: a
          litellm_params:
            <<: *defaults
            model: openai/gpt-4o
    `);
    expect(config.models['a']?.deployments[0]).toMatchObject({
      apiKey: 'sk-openai-test',
      timeoutMs: 30_000,
    });
  });

  it('requires a non-empty model_list', () => {
    expect(problemsOf('router_settings:\n  num_retries: 1\n')).toEqual([
      { path: 'model_list', message: 'is missing; list at least one model' },
    ]);
    expect(problemsOf('model_list: []\n')[0]).toMatchObject({ path: 'model_list', line: 1 });
    expect(problemsOf('')[0]?.message).toBe('the file is empty; it needs at least a model_list');
    expect(problemsOf('- a\n- b\n')[0]?.message).toContain('expected a mapping');
  });

  it('treats a key written with no value as absent', () => {
    const { config } = parse(yaml`
      model_list:
        - model_name: a
          litellm_params:
            model: openai/gpt-4o
            api_base:
      router_settings:
    `);
    expect(config.models['a']?.deployments[0]?.apiBase).toBeUndefined();
  });

  it('names the unset variable and the model that needs it, for every one', () => {
    const problems = problemsOf(
      yaml`
        model_list:
          - model_name: gpt-4o-model
            litellm_params:
              model: openai/gpt-4o
              api_key: os.environ/OPENAI_API_KEY
          - model_name: claude-model
            litellm_params:
              model: anthropic/claude-3-haiku-20240307
              api_key: os.environ/ANTHROPIC_API_KEY
        general_settings:
          master_key: os.environ/LITELLM_MASTER_KEY
        litellm_settings:
          cache: true
          cache_params: { host: redis, password: os.environ/REDIS_PASSWORD }
      `,
      { ANTHROPIC_API_KEY: '' },
    );
    expect(problems.map((p) => `${p.line} ${p.path}: ${p.message}`)).toEqual([
      '5 model_list[0].litellm_params.api_key: environment variable OPENAI_API_KEY is not set (needed by model "gpt-4o-model")',
      '9 model_list[1].litellm_params.api_key: environment variable ANTHROPIC_API_KEY is empty (needed by model "claude-model")',
      '11 general_settings.master_key: environment variable LITELLM_MASTER_KEY is not set (needed by general_settings)',
      '14 litellm_settings.cache_params.password: environment variable REDIS_PASSWORD is not set (needed by litellm_settings.cache_params)',
    ]);
  });

  it('rejects a malformed os.environ/ reference', () => {
    const problems = problemsOf(twoModels.replace('os.environ/OPENAI_API_KEY', 'os.environ/'));
    expect(problems[0]?.message).toContain('must be followed by an environment variable name');
  });

  it('says os.environ/ works only for strings when used for a number', () => {
    const problems = problemsOf(
      twoModels.replace('api_key: os.environ/OPENAI_API_KEY', 'rpm: os.environ/RPM'),
      { ...specEnv, RPM: '10' },
    );
    expect(problems[0]?.message).toBe(
      'expected a positive integer, got "os.environ/RPM" (os.environ/ works only where a string is expected)',
    );
  });

  it('never puts a secret into an error message or a warning', () => {
    const secrets = ['sk-live-AAA', 'hunter2', 'sk-master-BBB', 'sk-env-CCC', 'tok-DDD'];
    const text = yaml`
      model_list:
        - model_name: a
          litellm_params:
            model: openai/gpt-4o
            api_key: [sk-live-AAA]
            api_base: "not a url?key=tok-DDD"
            rpm: many
        - model_name: b
          litellm_params:
            model: openai/gpt-4o
            api_key: os.environ/B_KEY
            api_base: os.environ/B_BASE
      general_settings:
        master_key: { value: sk-master-BBB }
        secret_key: sk-master-BBB
      litellm_settings:
        cache_params: { host: redis, password: 12345, port: os.environ/REDIS_PORT }
      switchyard:
        redis: { url: "http://:hunter2@redis:6379" }
        nats: { servers: "http://u:hunter2@nats" }
    `;
    const error = configErrorOf(text, {
      B_KEY: 'sk-env-CCC',
      B_BASE: 'ftp://sk-env-CCC@host',
      REDIS_PORT: 'hunter2',
    });
    const everything = `${error.message}\n${JSON.stringify(error.problems)}`;
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(error.problems.length).toBeGreaterThanOrEqual(7);

    const { warnings } = parse(
      `${twoModels}general_settings:\n  master_key: sk-master-BBB\n  alerting_webhook: sk-live-AAA\n`,
    );
    expect(warnings).toHaveLength(1);
    for (const secret of secrets) expect(warnings.join('\n')).not.toContain(secret);
  });

  it('never quotes the source text of a YAML syntax error', () => {
    const error = configErrorOf('general_settings:\n  master_key: "sk-master-BBB\nmodel_list: [\n');
    expect(error.message).not.toContain('sk-master-BBB');
  });

  it('returns a deeply frozen config', () => {
    const { config } = parse(`${twoModels}switchyard:\n  tenants:\n    acme: { max_budget: 5 }\n`);
    const fast = config.models['fast'];
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config.router as { numRetries: number }).numRetries = 9;
    }).toThrow(TypeError);
    expect(() => {
      (fast?.deployments as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (fast?.deployments[0]?.limits as { maxInputTokens?: number }).maxInputTokens = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.models as Record<string, unknown>)['new'] = {};
    }).toThrow(TypeError);
    expect(() => {
      (config.switchyard.tenants['acme'] as { maxBudget?: number }).maxBudget = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.switchyard.nats.servers as string[])[0] = 'nats://evil:4222';
    }).toThrow(TypeError);
  });

  it('keys models by name in a null-prototype object', () => {
    const { config } = parse(twoModels);
    expect(Object.getPrototypeOf(config.models)).toBeNull();
    expect('toString' in config.models).toBe(false);
    expect(Object.hasOwn(config.models, 'fast')).toBe(true);
  });

  it('lists problems in file order, one per line of the message', () => {
    const error = configErrorOf(yaml`
      model_list:
        - model_name: a
          litellm_params: { model: openai/gpt-4o, tpm: 0 }
      router_settings: { allowed_fails: -1 }
    `);
    expect(error.message).toBe(
      [
        'config.yaml is not a valid Switchyard config (2 problems):',
        'config.yaml:3:50 model_list[0].litellm_params.tpm: expected a positive integer, got 0',
        'config.yaml:4:35 router_settings.allowed_fails: expected a whole number (0 or more), got -1',
      ].join('\n'),
    );
  });
});
