/**
 * The simulator's one token rule. A token is a run of letters, digits and underscores, or one
 * single character that is neither such a character nor white space:
 * `countTokens("Hello, world!") === 4` (`Hello` `,` `world` `!`). White space never counts, so
 * `{"a": 1}` and `{"a":1}` have the same count.
 */
const tokenPattern = /[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]/gu;

/** The number of tokens in `text` under the simulator's rule (see the README). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return text.match(tokenPattern)?.length ?? 0;
}

/** The tokens of `text`, in order. */
export function tokenize(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

/**
 * The fixed overheads of a prompt, in tokens. A prompt's count is the sum of: for every tool
 * `perTool` + its name + its description + its JSON schema (serialised); for every message
 * `perMessage` + its name (if any) + its parts; `replyPriming` once. Parts: text → its tokens;
 * an image → `perImage`; a tool call → its name + its arguments; a tool result → its content.
 */
export const tokenRules = {
  perMessage: 3,
  replyPriming: 3,
  perImage: 85,
  perTool: 8,
} as const;

/**
 * A run of characters that each carry one token with the white space before them:
 * `splitPieces("Hi, you.")` → `["Hi", ",", " you", "."]`. Joined they give back `text`
 * (white space at the end rides on the last piece), and each holds exactly one token.
 */
export function splitPieces(text: string): string[] {
  const pieces: string[] = [];
  const piecePattern = /\s*(?:[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s])/gu;
  let end = 0;
  for (const match of text.matchAll(piecePattern)) {
    pieces.push(match[0]);
    end = match.index + match[0].length;
  }
  if (end < text.length) {
    const rest = text.slice(end);
    if (pieces.length === 0) pieces.push(rest);
    else pieces[pieces.length - 1] += rest;
  }
  return pieces;
}

/** Stream pieces grouped `size` at a time, with the number of tokens in each group. */
export function groupPieces(
  pieces: readonly string[],
  size: number,
): { text: string; tokens: number }[] {
  const out: { text: string; tokens: number }[] = [];
  for (let i = 0; i < pieces.length; i += size) {
    const group = pieces.slice(i, i + size);
    out.push({ text: group.join(''), tokens: group.length });
  }
  return out;
}
