import type { ChatCompletionRequest, ChatMessage } from '@switchyard/contracts';

/** Characters per token of English text and JSON in OpenAI's tokenizers, on average. */
export const charactersPerToken = 4;
/** Tokens every message costs besides its text (role and separators, as in OpenAI's cookbook). */
export const tokensPerMessage = 3;
/** Tokens that prime the reply (`<|start|>assistant<|message|>`). */
export const replyPrimingTokens = 3;
/** An image at `detail: low`: OpenAI's fixed base cost. */
export const lowDetailImageTokens = 85;
/** Any other image, counted as 1024×1024 at high detail: 4 tiles of 170 plus 85. */
export const imageTokens = 765;

type ContentPart = {
  type: string;
  text?: string;
  refusal?: string;
  image_url?: { detail?: string };
};

function contentParts(message: ChatMessage): readonly ContentPart[] {
  const { content } = message;
  if (content == null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content;
}

/** Text characters and image tokens of one message. */
function measureMessage(message: ChatMessage): { characters: number; imageTokens: number } {
  const name: unknown = (message as { name?: unknown }).name;
  let characters = message.role.length + (typeof name === 'string' ? name.length : 0);
  let images = 0;
  for (const part of contentParts(message)) {
    if (part.type === 'image_url') {
      images += part.image_url?.detail === 'low' ? lowDetailImageTokens : imageTokens;
    } else {
      characters += (part.text ?? part.refusal ?? '').length;
    }
  }
  if (message.role === 'assistant') {
    characters += message.refusal?.length ?? 0;
    for (const call of message.tool_calls ?? []) {
      characters += call.function.name.length + call.function.arguments.length;
    }
  }
  if (message.role === 'tool') characters += message.tool_call_id.length;
  return { characters, imageTokens: images };
}

/** Characters of what the provider turns into prompt tokens besides the messages. */
function definitionCharacters(request: ChatCompletionRequest): number {
  let characters = 0;
  for (const tool of request.tools ?? []) characters += JSON.stringify(tool.function).length;
  if (typeof request.tool_choice === 'object') {
    characters += JSON.stringify(request.tool_choice).length;
  }
  const format = request.response_format;
  if (format?.type === 'json_schema') characters += JSON.stringify(format.json_schema).length;
  return characters;
}

/**
 * A quick estimate of the prompt tokens of `request`, used to reserve tpm capacity before the
 * call (the provider's usage corrects it afterwards). It is ⌈characters / 4⌉ over the message
 * text (content, refusals, tool-call names and arguments, names, roles), the tool definitions
 * and tool choice as JSON and a `json_schema` response format as JSON; plus 3 tokens per
 * message and 3 for the reply; plus 85 tokens per low-detail image and 765 per other image.
 * Close for English and JSON, low for CJK text and code-heavy prompts; it is not a tokenizer.
 */
export function estimateInputTokens(request: ChatCompletionRequest): number {
  let characters = definitionCharacters(request);
  let tokens = replyPrimingTokens;
  for (const message of request.messages) {
    const measured = measureMessage(message);
    characters += measured.characters;
    tokens += tokensPerMessage + measured.imageTokens;
  }
  return tokens + Math.ceil(characters / charactersPerToken);
}
