import { z } from 'zod';
import { chatMessageSchema } from './chat-message.schema';
import { functionToolSchema, responseFormatSchema, toolChoiceSchema } from './chat-tools.schema';

/**
 * The most output tokens a request may ask for (`max_tokens`, `max_completion_tokens`): far
 * above any model's limit, low enough that every reservation computed from it (tokens × price)
 * stays an exact integer.
 */
export const MAX_OUTPUT_TOKENS = 10_000_000;
/** The most choices a request may ask for (`n`), as OpenAI allows. */
export const MAX_CHOICES = 128;

/**
 * The body of an OpenAI `POST /v1/chat/completions` request, as carried inside a job.
 *
 * `model` is optional: the job names the logical model, and the provider layer sets the
 * provider's model. Fields that OpenAI documents as nullable accept `null` as "not set".
 *
 * The object is loose at every level: fields this package does not know are kept, not
 * stripped or rejected, so that the provider layer decides, per provider, whether to pass
 * them on, drop them or reject the request (as LiteLLM's `drop_params` does).
 */
export const chatCompletionRequestSchema = z
  .looseObject({
    model: z.string().min(1).optional(),
    messages: z.array(chatMessageSchema).min(1),
    tools: z.array(functionToolSchema).optional(),
    tool_choice: toolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().nullish(),
    response_format: responseFormatSchema.optional(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    max_tokens: z.int().positive().max(MAX_OUTPUT_TOKENS).nullish(),
    max_completion_tokens: z.int().positive().max(MAX_OUTPUT_TOKENS).nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    seed: z.int().nullish(),
    n: z.int().min(1).max(MAX_CHOICES).nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
    user: z.string().optional(),
    metadata: z.record(z.string(), z.string()).nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.int().min(0).max(20).nullish(),
    reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
  })
  .meta({ description: 'OpenAI chat-completions request body carried by a Switchyard job' });
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
