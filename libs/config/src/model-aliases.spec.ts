import { describe, expect, it } from 'vitest';
import { parse, problemsOf, twoModels } from './spec-helpers';

const withAliases = (aliases: string) =>
  `${twoModels}router_settings:\n  model_group_alias: ${aliases}\n`;

describe('model_group_alias', () => {
  it("reads LiteLLM's alias: model and alias: {model, hidden} forms", () => {
    const { config, warnings } = parse(
      withAliases('{ gpt-4: fast, "claude-3": { model: careful, hidden: true } }'),
    );
    expect({ ...config.modelAliases }).toEqual({
      'gpt-4': { model: 'fast', hidden: false },
      'claude-3': { model: 'careful', hidden: true },
    });
    expect(warnings).toEqual([]);
    expect({ ...parse(twoModels).config.modelAliases }).toEqual({});
  });

  it('refuses an alias of no model and an alias that is a model', () => {
    expect(
      problemsOf(withAliases('{ gpt-4: nowhere, fast: careful }')).map(
        (p) => `${p.path}: ${p.message}`,
      ),
    ).toEqual([
      'router_settings.model_group_alias.gpt-4: names no model of model_list: "nowhere"',
      'router_settings.model_group_alias.fast: "fast" is a model of model_list, not an alias',
    ]);
  });

  it('refuses a malformed entry', () => {
    expect(
      problemsOf(withAliases('{ odd: { hidden: true }, two: [a] }')).map(
        (p) => `${p.path}: ${p.message}`,
      ),
    ).toEqual([
      'router_settings.model_group_alias.odd.model: is missing (expected a model name)',
      'router_settings.model_group_alias.two: expected a map of alias → model name, or alias → {model: name, hidden: true}, got a list',
    ]);
  });
});
