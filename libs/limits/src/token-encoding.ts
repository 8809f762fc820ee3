import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TextDecoder } from 'node:util';

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
/** A merge rank table as gpt-tokenizer holds it: a token's text, or its bytes when not UTF-8. */
type MergeableRanks = (string | number[])[];
interface GptEncodingModule {
  GptEncoding: {
    getEncodingApi(name: TokenEncoding, ranks: () => MergeableRanks): { countTokens: Counter };
  };
}

const requireModule = createRequire(import.meta.url);
const counters = new Map<TokenEncoding, Counter>();
const noSpecialTokens = { disallowedSpecial: new Set<string>() };

/**
 * The merge ranks of `encoding`, read from gpt-tokenizer's `.tiktoken` file (each line a
 * token's bytes in base64 and its rank): a token whose bytes decode as UTF-8 to a string of
 * the same bytes (no byte-order mark) is that string, any other its bytes, as the package's
 * own tables hold them (token-encoding.spec.ts compares the two). The package's
 * `encoding/<name>` modules hold them as JavaScript literals of 1–2.4 MB, and a process that
 * had parsed o200k_base's kept ≈ 45 MiB more RSS once idle, against ≈ 19 MiB read this way
 * (docs/benchmarks.md).
 */
export function readMergeableRanks(encoding: TokenEncoding): MergeableRanks {
  const text = readFileSync(
    requireModule.resolve(`gpt-tokenizer/data/${encoding}.tiktoken`),
    'utf8',
  );
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const ranks: MergeableRanks = [];
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const bytes = Buffer.from(line.slice(0, space), 'base64');
    ranks[Number(line.slice(space + 1))] = asText(utf8, bytes) ?? Array.from(bytes);
  }
  return ranks;
}

/** `bytes` as the string they encode, when they are UTF-8 and decode to exactly themselves. */
function asText(utf8: TextDecoder, bytes: Buffer): string | undefined {
  try {
    const text = utf8.decode(bytes);
    return Buffer.byteLength(text) === bytes.length ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The number of tokens of `text` in `encoding`; special-token strings such as `<|endoftext|>`
 * count as plain text, as the provider treats user content. The encoding's table is loaded on
 * first use, synchronously, once per process: o200k_base stalls the process ≈ 0.5 s (longer on
 * a busy machine) and keeps ≈ 19 MiB of RSS, cl100k_base about half.
 */
export function countTokens(encoding: TokenEncoding, text: string): number {
  let count = counters.get(encoding);
  if (count === undefined) {
    const { GptEncoding } = requireModule('gpt-tokenizer/GptEncoding') as GptEncodingModule;
    const ranks = readMergeableRanks(encoding);
    count = GptEncoding.getEncodingApi(encoding, () => ranks).countTokens;
    counters.set(encoding, count);
  }
  return count(text, noSpecialTokens);
}
