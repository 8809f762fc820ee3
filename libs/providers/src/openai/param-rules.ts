import type { ResponseFormat, ToolChoice } from '@switchyard/contracts';
import type { ParamRule } from './openai-compatible.types';
import { toolChoiceToWire } from './openai.messages';

/** A parameter the provider does not take at all. */
export function notSupported<V>(reason: string): ParamRule<V> {
  return { reject: () => reason };
}

/** A parameter the provider takes under another name, with the same meaning. */
export function renamed<V>(sendAs: string): ParamRule<V> {
  return { sendAs };
}

/** `n` when the provider returns one choice only. */
export const singleChoiceOnly: ParamRule<number> = {
  reject: (n) => (n > 1 ? 'only n = 1 is supported' : undefined),
};

/** `response_format` when the provider has JSON mode but no JSON-schema mode. */
export const noJsonSchemaFormat: ParamRule<ResponseFormat> = {
  reject: (format) =>
    format.type === 'json_schema' ? 'response_format json_schema is not supported' : undefined,
};

/** `tool_choice` for providers that spell "required" as `any` (Fireworks). */
export const requiredToolChoiceAsAny: ParamRule<ToolChoice> = {
  convert: (choice) => (choice === 'required' ? 'any' : toolChoiceToWire(choice)),
};
