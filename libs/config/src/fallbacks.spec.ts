import { describe, expect, it } from 'vitest';
import { parse, problemsOf, yaml } from './spec-helpers';

const threeModels = yaml`
  model_list:
    - model_name: a
      litellm_params: { model: openai/gpt-4o }
    - model_name: b
      litellm_params: { model: openai/gpt-4o-mini }
    - model_name: c
      litellm_params: { model: anthropic/claude-3-haiku-20240307 }
      fallback_models: [a]
`;

describe('fallbacks', () => {
  it("accepts LiteLLM's list of single-key maps and a plain map", () => {
    const listForm = parse(
      `${threeModels}router_settings:\n  fallbacks: [{a: [b]}, {b: [c, a]}]\n`,
    );
    const mapForm = parse(`${threeModels}router_settings:\n  fallbacks: {a: [b], b: [c, a]}\n`);
    for (const { config } of [listForm, mapForm]) {
      expect(config.models['a']?.fallbacks).toEqual(['b']);
      expect(config.models['b']?.fallbacks).toEqual(['c', 'a']);
    }
  });

  it('concatenates router_settings, litellm_settings and fallback_models without duplicates', () => {
    const { config } = parse(
      threeModels +
        yaml`
      router_settings:
        fallbacks: [{c: [b]}]
        context_window_fallbacks: [{a: [c]}]
      litellm_settings:
        fallbacks: [{c: [b, a]}]
        context_window_fallbacks: [{a: [b]}]
        content_policy_fallbacks: {b: [a]}
    `,
    );
    expect(config.models['c']?.fallbacks).toEqual(['b', 'a']);
    expect(config.models['a']?.contextWindowFallbacks).toEqual(['c', 'b']);
    expect(config.models['b']?.contentPolicyFallbacks).toEqual(['a']);
    expect(config.models['a']?.fallbacks).toEqual([]);
  });

  it('gathers default_fallbacks, the router-level fallback_models and "*" into defaultFallbacks', () => {
    const { config } = parse(
      threeModels +
        yaml`
      router_settings:
        default_fallbacks: [c]
        fallback_models: [b, c]
        fallbacks: [{"*": [a]}]
    `,
    );
    expect(config.router.defaultFallbacks).toEqual(['c', 'b', 'a']);
  });

  it('names every unknown model with its path and line', () => {
    const problems = problemsOf(
      threeModels +
        yaml`
      router_settings:
        fallbacks: [{a: [b, gpt-5]}, {nope: [a]}]
        default_fallbacks: [ghost]
      litellm_settings:
        content_policy_fallbacks: {"*": [a]}
    `,
    );
    expect(problems).toEqual([
      {
        path: 'router_settings.fallbacks[0].a[1]',
        line: 10,
        column: 23,
        message: 'fallback model "gpt-5" is not in model_list',
      },
      {
        path: 'router_settings.fallbacks[1].nope',
        line: 10,
        column: 33,
        message: 'model "nope" is not in model_list',
      },
      {
        path: 'router_settings.default_fallbacks[0]',
        line: 11,
        column: 23,
        message: 'fallback model "ghost" is not in model_list',
      },
      {
        path: 'litellm_settings.content_policy_fallbacks["*"]',
        line: 13,
        column: 30,
        message: '"*" is only supported in fallbacks',
      },
    ]);
  });

  it('rejects a model falling back to itself, at any level', () => {
    const problems = problemsOf(
      threeModels +
        yaml`
      router_settings:
        fallbacks: [{a: [a]}]
    `,
    ).concat(problemsOf(threeModels.replace('fallback_models: [a]', 'fallback_models: [c]')));
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'router_settings.fallbacks[0].a[0]: model "a" cannot fall back to itself',
      'model_list[2].fallback_models[0]: model "c" cannot fall back to itself',
    ]);
  });

  it('explains the expected shape of a malformed fallbacks setting', () => {
    const problems = problemsOf(
      `${threeModels}router_settings:\n  fallbacks: [{a: b}]\n  context_window_fallbacks: 3\n`,
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'router_settings.fallbacks[0].a: expected a list of model names, got "b"',
      'router_settings.context_window_fallbacks: expected a list of {model: [fallback, ...]} maps, or a map of model → [fallback, ...], got 3',
    ]);
  });
});
