import { z } from 'zod';

/*
 * Messages of an OpenAI chat-completions request. Objects are loose: fields this package does
 * not know (such as `cache_control` on a content part) are kept for the provider layer.
 */

/** A text content part. */
export const textContentPartSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
});
export type TextContentPart = z.infer<typeof textContentPartSchema>;

/** An image content part: an `https:` URL or a `data:` URL, with the detail level to use. */
export const imageContentPartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({
    url: z.string().min(1),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});
export type ImageContentPart = z.infer<typeof imageContentPartSchema>;

/** A refusal written earlier by the model, sent back as part of an assistant message. */
export const refusalContentPartSchema = z.looseObject({
  type: z.literal('refusal'),
  refusal: z.string(),
});
export type RefusalContentPart = z.infer<typeof refusalContentPartSchema>;

const textContentSchema = z.union([z.string(), z.array(textContentPartSchema).min(1)]);

/** Instructions from the application (older models). */
export const systemMessageSchema = z.looseObject({
  role: z.literal('system'),
  content: textContentSchema,
  name: z.string().optional(),
});

/** Instructions from the application that the model follows over user messages. */
export const developerMessageSchema = z.looseObject({
  role: z.literal('developer'),
  content: textContentSchema,
  name: z.string().optional(),
});

/** End-user input: text, or text and image parts. */
export const userMessageSchema = z.looseObject({
  role: z.literal('user'),
  content: z.union([
    z.string(),
    z.array(z.discriminatedUnion('type', [textContentPartSchema, imageContentPartSchema])).min(1),
  ]),
  name: z.string().optional(),
});

/** A tool call the model made in an earlier turn (the request's copy of a result's ToolCall). */
export const requestToolCallSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});

/**
 * An earlier model turn sent back as history: text (or null), the tool calls it made, or a
 * refusal; it must have at least one of them.
 */
export const assistantMessageSchema = z
  .looseObject({
    role: z.literal('assistant'),
    content: z
      .union([
        z.string(),
        z.array(z.discriminatedUnion('type', [textContentPartSchema, refusalContentPartSchema])),
      ])
      .nullish(),
    tool_calls: z.array(requestToolCallSchema).optional(),
    refusal: z.string().nullish(),
    name: z.string().optional(),
  })
  .refine(
    (message) =>
      message.content != null ||
      (message.tool_calls?.length ?? 0) > 0 ||
      typeof message.refusal === 'string',
    { message: 'an assistant message needs content, tool_calls or refusal', path: ['content'] },
  );

/** The output of a tool call, answering the call with the same `tool_call_id`. */
export const toolMessageSchema = z.looseObject({
  role: z.literal('tool'),
  content: textContentSchema,
  tool_call_id: z.string().min(1),
});

/** One message of the conversation, told apart by `role`. */
export const chatMessageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  developerMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type SystemMessage = z.infer<typeof systemMessageSchema>;
export type DeveloperMessage = z.infer<typeof developerMessageSchema>;
export type UserMessage = z.infer<typeof userMessageSchema>;
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;
export type ToolMessage = z.infer<typeof toolMessageSchema>;
