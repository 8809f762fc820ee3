import { z } from 'zod';

const tokenLogprobFields = {
  token: z.string(),
  logprob: z.number(),
  bytes: z.array(z.int().min(0).max(255)).nullable(),
};

/** The log probability of one output token, with the most likely alternatives at its place. */
export const tokenLogprobSchema = z.object({
  ...tokenLogprobFields,
  top_logprobs: z.array(z.object(tokenLogprobFields)),
});
export type TokenLogprob = z.infer<typeof tokenLogprobSchema>;

/** The log probabilities of a choice's content and refusal tokens, when requested. */
export const choiceLogprobsSchema = z.object({
  content: z.array(tokenLogprobSchema).nullable(),
  refusal: z.array(tokenLogprobSchema).nullish(),
});
export type ChoiceLogprobs = z.infer<typeof choiceLogprobsSchema>;
