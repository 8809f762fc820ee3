import { describe, expect, it } from 'vitest';
import { KeyInputError } from './key-input.error';
import { validateKeyInput } from './validate-key-input';

function problemOf(input: Parameters<typeof validateKeyInput>[0]): string {
  try {
    validateKeyInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(KeyInputError);
    return (error as Error).message;
  }
  throw new Error('expected a KeyInputError');
}

describe('validateKeyInput', () => {
  it('defaults the tenant and the model list', () => {
    expect(validateKeyInput({})).toEqual({ tenant: 'default', models: [] });
    expect(validateKeyInput({ tenant: 'acme', models: ['a', 'b'], rpm: 10 })).toEqual({
      tenant: 'acme',
      models: ['a', 'b'],
      rpm: 10,
    });
  });

  it('refuses a tenant that is not a subject token', () => {
    expect(problemOf({ tenant: 'a.b' })).toContain('tenant "a.b" must be');
    expect(problemOf({ tenant: '' })).toContain('tenant "" must be');
  });

  it('refuses aliases that are malformed or look like key ids', () => {
    expect(problemOf({ alias: 'has space' })).toContain('alias "has space" must be');
    expect(problemOf({ alias: '-lead' })).toContain('starting with a letter or digit');
    expect(problemOf({ alias: 'x'.repeat(65) })).toContain('1 to 64');
    expect(problemOf({ alias: 'key_abc' })).toContain('must not start with "key_"');
    expect(validateKeyInput({ alias: 'team-search.prod' }).alias).toBe('team-search.prod');
  });

  it('refuses bad model lists', () => {
    expect(problemOf({ models: ['a', 'a'] })).toContain('models[1] repeats "a"');
    expect(problemOf({ models: [''] })).toContain('models[0] must be a model name');
    expect(problemOf({ models: ['bad\u0007'] })).toContain('models[0]');
    expect(problemOf({ models: 'a' as unknown as string[] })).toContain('must be an array');
  });

  it('refuses non-positive or fractional limits and budgets', () => {
    expect(problemOf({ rpm: 0 })).toContain('rpm must be a whole number above 0, got 0');
    expect(problemOf({ rpm: 1.5 })).toContain('rpm must be');
    expect(problemOf({ rpm: Number.NaN })).toContain('rpm must be');
    expect(problemOf({ maxBudget: -1 })).toContain('maxBudget must be');
    expect(problemOf({ maxBudget: Infinity })).toContain('maxBudget must be');
    expect(problemOf({ budgetDurationMs: 1000 })).toContain('budgetDurationMs needs maxBudget');
    expect(validateKeyInput({ maxBudget: 2.5, budgetDurationMs: 1000 }).maxBudget).toBe(2.5);
  });

  it('lists every problem in one error', () => {
    const message = problemOf({ tenant: '!', rpm: -1, alias: ' ' });
    expect(message).toMatch(/tenant.*alias.*rpm/);
  });
});
