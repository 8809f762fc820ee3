/**
 * Cost of the input-token estimate the worker makes for every job (tpm and budget reservations,
 * pre-call checks): loading each OpenAI encoding once, then one 10 kB prompt per call with the
 * real tokenizer (English prose, JSON, and random words, the tokenizer's worst case) and with
 * the character approximation other providers get.
 *
 *   npx tsx test/bench/token-estimate.bench.ts
 *
 * Each measurement runs for BENCH_MS milliseconds (default 300) and reports the mean per call.
 * Every prompt is new to the tokenizer (a counter is appended), so its merge cache helps only as
 * much as it would across different real prompts that share words.
 *
 * Then each encoding is loaded alone in a process of its own (token-encoding-rss.ts), beside one
 * that loads none, for the RSS it adds to an idle service (SETTLE_SECONDS, default 30, each).
 */
import { execFileSync } from 'node:child_process';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import { estimateInputTokens, TokenEncodings } from '@switchyard/limits';

const measureMs = Number(process.env.BENCH_MS ?? 300);
const size = 10_000;

const prose = 'The quick brown fox jumps over the lazy dog while the blue train leaves at noon. ';
const json = JSON.stringify({ id: 12345, name: 'widget', tags: ['a', 'bb'], price: 9.99 }) + '\n';
let seed = 7;
const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
const words = Array.from({ length: 3_000 }, () =>
  Array.from({ length: 1 + Math.floor(random() * 9) }, () =>
    String.fromCharCode(97 + Math.floor(random() * 26)),
  ).join(''),
).join(' ');

const texts = {
  prose: prose.repeat(Math.ceil(size / prose.length)).slice(0, size),
  json: json.repeat(Math.ceil(size / json.length)).slice(0, size),
  'random words': words.slice(0, size),
};

const gpt4o = { providerModel: 'gpt-4o-mini' };
const gpt4 = { providerModel: 'gpt-4' };
const claude = { providerModel: 'claude-3-5-haiku-20241022' };

const body = (text: string, n: number): ChatCompletionRequest => ({
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: `${text} ${n}` },
  ],
});

function firstCall(target: { providerModel: string }): number {
  const started = performance.now();
  estimateInputTokens(body('hello', 0), target);
  return performance.now() - started;
}

function perCall(text: string, target: { providerModel: string }): { ms: number; tokens: number } {
  let n = 0;
  let tokens = 0;
  const started = performance.now();
  while (performance.now() - started < measureMs)
    tokens = estimateInputTokens(body(text, n++), target);
  return { ms: (performance.now() - started) / n, tokens };
}

console.log(
  `first call (loads the encoding): o200k_base ${firstCall(gpt4o).toFixed(0)} ms, ` +
    `cl100k_base ${firstCall(gpt4).toFixed(0)} ms`,
);
console.log(
  '| 10 kB prompt | o200k_base (gpt-4o) | cl100k_base (gpt-4) | approximation (others) |',
);
console.log('| --- | --- | --- | --- |');
for (const [name, text] of Object.entries(texts)) {
  const cells = [gpt4o, gpt4, claude].map((target) => {
    const { ms, tokens } = perCall(text, target);
    return `${(ms * 1_000).toFixed(ms < 0.01 ? 1 : 0)} µs (${tokens} tokens)`;
  });
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}

console.log('\n| encoding loaded alone | first count | RSS before | after | idle after |');
console.log('| --- | --- | --- | --- | --- |');
for (const encoding of ['none', ...TokenEncodings]) {
  const script = new URL('./token-encoding-rss.ts', import.meta.url).pathname;
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, encoding], {
    encoding: 'utf8',
  });
  const r = JSON.parse(out) as Record<string, number>;
  console.log(
    `| ${encoding} | ${r.loadMs} ms | ${r.before} MiB | ${r.loaded} MiB | ${r.settled} MiB |`,
  );
}
