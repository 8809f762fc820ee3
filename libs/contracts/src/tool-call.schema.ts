import { z } from 'zod';

/**
 * A call of a function tool made by the model: `arguments` is the JSON text the model wrote,
 * not parsed or validated against the tool's parameters.
 */
export const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    arguments: z.string(),
  }),
});
export type ToolCall = z.infer<typeof toolCallSchema>;
