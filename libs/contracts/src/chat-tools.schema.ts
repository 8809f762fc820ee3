import { z } from 'zod';

/** A name the model can call: 1 to 64 characters of `[a-zA-Z0-9_-]` (OpenAI's rule). */
const functionNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1 to 64 characters of a-z A-Z 0-9 _ -');

/** A JSON Schema document, passed through as written. */
export const jsonSchemaObjectSchema = z.record(z.string(), z.unknown());

/**
 * A function the model may call. `parameters` is the JSON Schema of its arguments; `strict`
 * asks the provider to make the arguments follow that schema exactly.
 */
export const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: functionNameSchema,
    description: z.string().optional(),
    parameters: jsonSchemaObjectSchema.optional(),
    strict: z.boolean().nullish(),
  }),
});
export type FunctionTool = z.infer<typeof functionToolSchema>;

/**
 * Whether and which tool the model calls: `none` (never), `auto` (it decides), `required`
 * (at least one), or one named function.
 */
export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({
    type: z.literal('function'),
    function: z.looseObject({ name: functionNameSchema }),
  }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

/**
 * The output format: free text, any JSON object, or JSON following a named schema (`strict`
 * asks the provider to enforce it exactly).
 */
export const responseFormatSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: functionNameSchema,
      description: z.string().optional(),
      schema: jsonSchemaObjectSchema.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
