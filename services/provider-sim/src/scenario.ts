import { z } from 'zod';
import { isFaultKind, type FaultRuleInput } from './faults';

/** The provider APIs the simulator speaks. */
export const simProviders = [
  'openai',
  'azure',
  'anthropic',
  'gemini',
  'cohere',
  'bedrock',
  'vertex_gemini',
  'vertex_anthropic',
] as const;

/** One of {@link simProviders}. */
export type SimProviderName = (typeof simProviders)[number];

const nonNegative = z.number().finite().nonnegative();
const positiveInt = z.number().int().positive();

const latencySchema = z.strictObject({
  /** Time to first token (streams) or before the body (non-streaming), in ms. */
  ttftMs: nonNegative.optional(),
  /** Time per generated token after the first, in ms. */
  perTokenMs: nonNegative.optional(),
  /** A uniform random extra in [0, jitterMs) added to each wait, from the seeded source. */
  jitterMs: nonNegative.optional(),
});

/** Latency of one deployment: `{ ttftMs: 50 }` is a fixed 50 ms. */
export type LatencyConfig = z.infer<typeof latencySchema>;

const settingsSchema = z.strictObject({
  latency: latencySchema.optional(),
  /** Length of a text reply in tokens before max_tokens. @defaultValue 16 */
  replyTokens: positiveInt.optional(),
  /** Tokens per stream content event. @defaultValue 1 */
  chunkTokens: positiveInt.optional(),
  /** Prompts with more tokens than this get the provider's context-length error. */
  contextWindow: positiveInt.optional(),
  /** Enforced limits: requests and tokens (prompt + completion) per minute, token buckets. */
  rateLimit: z
    .strictObject({ rpm: positiveInt.optional(), tpm: positiveInt.optional() })
    .optional(),
  /** Simulate the provider's prompt cache. @defaultValue true */
  promptCache: z.boolean().optional(),
  /**
   * Pick the filler words of a text reply from a random source per call instead of the hash of
   * the message, so that two calls for the same request answer different text.
   * @defaultValue false
   */
  randomReplies: z.boolean().optional(),
});

/** Per-deployment behaviour; every field optional, layered defaults ← provider ← deployment. */
export type DeploymentSettings = z.infer<typeof settingsSchema>;

const faultParamSchema = z.union([z.string(), z.number(), z.boolean()]);

/** The JSON form of a fault rule (see {@link FaultRuleInput}). */
export const faultRuleSchema = z.strictObject({
  deployment: z.string().optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
  stream: z.boolean().optional(),
  fault: z.string().refine((text) => isFaultKind(text.split(';')[0]?.trim() ?? ''), {
    message: 'unknown fault kind',
  }),
  params: z.record(z.string(), faultParamSchema).optional(),
  count: positiveInt.optional(),
  every: positiveInt.optional(),
  probability: z.number().min(0).max(1).optional(),
}) satisfies z.ZodType<FaultRuleInput>;

const scenarioSchema = z.strictObject({
  /** Seed of the random source for jitter and fault probabilities. @defaultValue 1 */
  seed: z.number().int().optional(),
  /** Accepted API keys; absent: any non-empty key is accepted. */
  apiKeys: z.array(z.string().min(1)).optional(),
  defaults: settingsSchema.optional(),
  providers: z.partialRecord(z.enum(simProviders), settingsSchema).optional(),
  deployments: z.record(z.string(), settingsSchema).optional(),
  faults: z.array(faultRuleSchema).optional(),
});

/** A scenario file: settings per deployment and scripted faults, applied at start-up. */
export type SimScenario = z.infer<typeof scenarioSchema>;

/** The parse result of a scenario or a control-API body. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function check<T>(schema: z.ZodType<T>, value: unknown): Checked<T> {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, message: z.prettifyError(result.error) };
}

/** Validates a scenario (e.g. a parsed scenario file). */
export function parseScenario(value: unknown): Checked<SimScenario> {
  return check(scenarioSchema, value);
}

/** Validates settings (the body of `POST /_sim/settings` without its target). */
export function parseSettings(value: unknown): Checked<DeploymentSettings> {
  return check(settingsSchema, value);
}

/** Validates a latency config (the body of `POST /_sim/latency` without its target). */
export function parseLatency(value: unknown): Checked<LatencyConfig> {
  return check(latencySchema, value);
}

/** Validates fault rules. */
export function parseFaultRules(value: unknown): Checked<FaultRuleInput[]> {
  return check(z.array(faultRuleSchema), value);
}

/** Settings with every default filled in. */
export interface ResolvedSettings {
  latency: Required<LatencyConfig>;
  replyTokens: number;
  chunkTokens: number;
  contextWindow?: number;
  rateLimit?: { rpm?: number; tpm?: number };
  promptCache: boolean;
  randomReplies: boolean;
}

/**
 * The built-in defaults: no latency, 16-token deterministic replies, one token per stream event.
 */
export const defaultSettings: ResolvedSettings = {
  latency: { ttftMs: 0, perTokenMs: 0, jitterMs: 0 },
  replyTokens: 16,
  chunkTokens: 1,
  promptCache: true,
  randomReplies: false,
};

/** Layers settings, later ones winning field by field (latency fields one by one). */
export function resolveSettings(
  layers: readonly (DeploymentSettings | undefined)[],
): ResolvedSettings {
  const resolved: ResolvedSettings = {
    ...defaultSettings,
    latency: { ...defaultSettings.latency },
  };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer.latency) {
      resolved.latency = {
        ttftMs: layer.latency.ttftMs ?? resolved.latency.ttftMs,
        perTokenMs: layer.latency.perTokenMs ?? resolved.latency.perTokenMs,
        jitterMs: layer.latency.jitterMs ?? resolved.latency.jitterMs,
      };
    }
    if (layer.replyTokens !== undefined) resolved.replyTokens = layer.replyTokens;
    if (layer.chunkTokens !== undefined) resolved.chunkTokens = layer.chunkTokens;
    if (layer.contextWindow !== undefined) resolved.contextWindow = layer.contextWindow;
    if (layer.rateLimit !== undefined) resolved.rateLimit = { ...layer.rateLimit };
    if (layer.promptCache !== undefined) resolved.promptCache = layer.promptCache;
    if (layer.randomReplies !== undefined) resolved.randomReplies = layer.randomReplies;
  }
  return resolved;
}
