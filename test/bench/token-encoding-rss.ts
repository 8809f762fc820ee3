/**
 * One encoding's load in a process of its own (token-estimate.bench.ts starts one per encoding,
 * and one that loads none): how long the first count takes, and the RSS before it, right after
 * it and once the process has sat idle for SETTLE_SECONDS (default 30; V8's memory reducer
 * gives back the garbage of start-up and of the load only after some seconds without work, so
 * compare the last figure with the process that loaded none). Prints one JSON line.
 *
 *   npx tsx test/bench/token-encoding-rss.ts o200k_base   (or none)
 */
import { setTimeout as delay } from 'node:timers/promises';
import { countTokens, TokenEncodings, type TokenEncoding } from '@switchyard/limits';

const encoding = process.argv[2] as TokenEncoding | 'none';
if (encoding !== 'none' && !TokenEncodings.includes(encoding)) {
  throw new Error(`not an encoding: ${encoding}`);
}
const settleSeconds = Number(process.env['SETTLE_SECONDS'] ?? 30);
const rssMib = () => Math.round(process.memoryUsage().rss / 2 ** 20);

const before = rssMib();
const started = performance.now();
if (encoding !== 'none') countTokens(encoding, 'hello');
const loadMs = Math.round(performance.now() - started);
const loaded = rssMib();
await delay(settleSeconds * 1_000);
console.log(JSON.stringify({ encoding, loadMs, before, loaded, settled: rssMib() }));
