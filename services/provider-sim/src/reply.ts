import { fnv1a } from './prompt';
import { countTokens, splitPieces, tokenize } from './tokens';

/** How many tokens of the user's last message the reply repeats. */
export const ECHO_TOKENS = 8;

const fillerWords = [
  'the',
  'signal',
  'yard',
  'switch',
  'train',
  'track',
  'moves',
  'steady',
  'queue',
  'waits',
  'token',
  'stream',
  'worker',
  'pool',
  'answer',
  'arrives',
  'clear',
  'route',
  'model',
  'reply',
  'quiet',
  'station',
  'north',
  'south',
  'light',
  'green',
  'amber',
  'brief',
  'note',
  'follows',
  'each',
  'request',
  'carries',
  'message',
  'load',
  'balanced',
  'window',
  'opens',
  'closes',
  'again',
  'simple',
  'result',
  'ready',
  'batch',
  'line',
  'holds',
  'order',
  'kept',
  'safe',
  'return',
  'small',
  'large',
  'field',
  'value',
  'sample',
  'plain',
  'text',
  'here',
  'now',
  'later',
  'first',
  'second',
  'third',
  'final',
] as const;

/** Punctuation after which the next word is written without a space. */
const joiners = new Set(["'", '’', '-', '/', '(', '[', '{', '"', '@', '#', '$']);
const wordPattern = /^[\p{L}\p{N}_]+$/u;

/** Pieces for a token list: words get a leading space unless first or after a joiner. */
export function renderTokens(tokens: readonly string[]): string[] {
  return tokens.map((token, i) => {
    if (i === 0 || !wordPattern.test(token)) return token;
    const previous = tokens[i - 1] ?? '';
    return joiners.has(previous) ? token : ` ${token}`;
  });
}

function nextRandom(state: number): number {
  let x = state || 0x9e3779b9;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/**
 * The reply's tokens: `Simulated reply [k] to: <up to 8 tokens of the last user message>.`
 * (no period added when the echo ends with `.`, `?` or `!`) followed by filler words (a period
 * after every eighth), cut to `length` tokens, the last of which is a period. `variant` (the
 * choice index) adds `k = variant + 1` to the opening. The filler is picked by a hash of the
 * message and the variant, or, given a `fillerSeed` (a 32-bit number, random replies), by that
 * seed alone.
 */
export function replyTokens(
  lastUserText: string,
  variant: number,
  length: number,
  fillerSeed?: number,
): string[] {
  if (length <= 0) return [];
  const echo = tokenize(lastUserText).slice(0, ECHO_TOKENS);
  const opening = ['Simulated', 'reply', ...(variant > 0 ? [String(variant + 1)] : [])];
  const ended = /^[.?!]$/.test(echo[echo.length - 1] ?? '');
  const sequence =
    echo.length > 0 ? [...opening, 'to', ':', ...echo, ...(ended ? [] : ['.'])] : [...opening, '.'];
  let state = fillerSeed ?? fnv1a(`${variant}\u0000${lastUserText}`);
  let sinceStop = 0;
  while (sequence.length < length) {
    if (sinceStop === 8) {
      sequence.push('.');
      sinceStop = 0;
      continue;
    }
    state = nextRandom(state);
    sequence.push(fillerWords[state % fillerWords.length] ?? 'text');
    sinceStop++;
  }
  if (length === 1) return sequence.slice(0, 1);
  const body = sequence.slice(0, length - 1);
  const last = body[body.length - 1] ?? '';
  if (!wordPattern.test(last)) body[body.length - 1] = 'done';
  return [...body, '.'];
}

/** A finished piece of output text and why it ended. */
export interface FinishedText {
  text: string;
  /** Stream pieces: joined they give `text`. */
  pieces: string[];
  tokens: number;
  finish: 'stop' | 'length' | 'stop_sequence';
  /** The stop sequence that ended the text, when `finish` is `stop_sequence`. */
  stopSequence?: string;
}

/**
 * Applies `max_tokens` and stop sequences to the full output, as a model generating token by
 * token would: the output is cut after `maxTokens` pieces (finish `length`), and a stop
 * sequence found in what is left ends it earlier, the sequence itself left out.
 */
export function finishText(
  fullPieces: readonly string[],
  limits: { maxTokens?: number; stop?: readonly string[] },
): FinishedText {
  const max = limits.maxTokens;
  const truncated = max !== undefined && max >= 0 && max < fullPieces.length;
  const kept = truncated ? fullPieces.slice(0, max) : [...fullPieces];
  const text = kept.join('');
  let cut = -1;
  let matched: string | undefined;
  for (const stop of limits.stop ?? []) {
    if (stop === '') continue;
    const at = text.indexOf(stop);
    if (at !== -1 && (cut === -1 || at < cut)) {
      cut = at;
      matched = stop;
    }
  }
  if (cut !== -1 && matched !== undefined) {
    const stopped = text.slice(0, cut);
    return {
      text: stopped,
      pieces: splitPieces(stopped),
      tokens: countTokens(stopped),
      finish: 'stop_sequence',
      stopSequence: matched,
    };
  }
  return { text, pieces: kept, tokens: countTokens(text), finish: truncated ? 'length' : 'stop' };
}
