import { createRequire } from 'node:module';

/** The OpenAI tokenizers Switchyard counts with. */
export const TokenEncodings = ['o200k_base', 'cl100k_base'] as const;
export type TokenEncoding = (typeof TokenEncodings)[number];

/** What picks a tokenizer: a deployment's provider model, or the model it is based on. */
export interface TokenizerTarget {
  readonly providerModel: string;
  readonly baseModel?: string;
}

const o200kModels = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4)(\b|-|$)/;
const cl100kModels = /^(gpt-4|gpt-3\.5|gpt-35)(\b|-|$)/;

/**
 * The tokenizer of an OpenAI model, or undefined for any other model (which gets the
 * character approximation): `o200k_base` for the gpt-4o, gpt-4.1, gpt-4.5, gpt-5, gpt-oss and
 * o-series families, `cl100k_base` for gpt-4 and gpt-3.5. The model is `baseModel` when set
 * (Azure deployments name their own models), else `providerModel`, without any `vendor/` part
 * (OpenRouter-style names such as `openai/gpt-4o`).
 */
export function tokenEncodingFor(target: TokenizerTarget | undefined): TokenEncoding | undefined {
  if (target === undefined) return undefined;
  const name = (target.baseModel ?? target.providerModel).toLowerCase();
  const model = name.slice(name.lastIndexOf('/') + 1);
  if (o200kModels.test(model)) return 'o200k_base';
  if (cl100kModels.test(model)) return 'cl100k_base';
  return undefined;
}

type Counter = (text: string, options: { disallowedSpecial: Set<string> }) => number;

const requireModule = createRequire(import.meta.url);
const counters = new Map<TokenEncoding, Counter>();
const noSpecialTokens = { disallowedSpecial: new Set<string>() };

/**
 * The number of tokens of `text` in `encoding`; special-token strings such as `<|endoftext|>`
 * count as plain text, as the provider treats user content. The encoding's table (a few MB) is
 * loaded on first use, synchronously, once per process: o200k_base stalls the process
 * 0.2–0.4 s (longer on a busy machine) and keeps ≈ 50 MiB of RSS, cl100k_base about half.
 */
export function countTokens(encoding: TokenEncoding, text: string): number {
  let count = counters.get(encoding);
  if (count === undefined) {
    const module = requireModule(`gpt-tokenizer/encoding/${encoding}`) as { countTokens: Counter };
    count = module.countTokens;
    counters.set(encoding, count);
  }
  return count(text, noSpecialTokens);
}
