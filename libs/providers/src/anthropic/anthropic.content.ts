import type { ImageContentPart, TextContentPart } from '@switchyard/contracts';
import { z } from 'zod';
import { badParameter, dropOrReject } from './anthropic.errors';
import {
  anthropicImageMediaTypes,
  type AnthropicCacheControl,
  type AnthropicImageBlock,
  type AnthropicImageMediaType,
  type AnthropicTextBlock,
} from './anthropic.types';

const cacheControlSchema = z.object({
  type: z.literal('ephemeral'),
  ttl: z.enum(['5m', '1h']).optional(),
});

/**
 * The `cache_control` a content part or message carries (a LiteLLM-style extension to the
 * OpenAI shape), passed on as Anthropic's prompt-cache breakpoint. A value that is not
 * `{"type":"ephemeral"}` with an optional `ttl` of `5m` or `1h` is a bad request, or left out
 * with `dropParams`.
 */
export function cacheControlOf(
  carrier: Readonly<Record<string, unknown>>,
  param: string,
  dropParams: boolean,
): AnthropicCacheControl | undefined {
  const raw = carrier['cache_control'];
  if (raw === undefined || raw === null) return undefined;
  const parsed = cacheControlSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return dropOrReject(
    dropParams,
    `${param}.cache_control`,
    'invalid_value',
    `${param}.cache_control must be {"type":"ephemeral"}, with an optional ttl of "5m" or "1h"`,
  );
}

/** `block` with `cache_control` set when there is one. */
export function withCacheControl<T extends { cache_control?: AnthropicCacheControl }>(
  block: T,
  cacheControl: AnthropicCacheControl | undefined,
): T {
  return cacheControl === undefined ? block : { ...block, cache_control: cacheControl };
}

/** The text block of one text part, or none when the text is empty. */
export function textPartBlock(
  part: TextContentPart,
  param: string,
  dropParams: boolean,
): AnthropicTextBlock[] {
  if (part.text === '') return [];
  return [
    withCacheControl<AnthropicTextBlock>(
      { type: 'text', text: part.text },
      cacheControlOf(part, param, dropParams),
    ),
  ];
}

/**
 * Text blocks for a string or text parts (`param` names the content). Empty texts are left out:
 * the Messages API rejects empty text blocks, and they say nothing.
 */
export function textBlocks(
  content: string | readonly TextContentPart[],
  param: string,
  dropParams: boolean,
): AnthropicTextBlock[] {
  if (typeof content === 'string') {
    return content === '' ? [] : [{ type: 'text', text: content }];
  }
  return content.flatMap((part, index) => textPartBlock(part, `${param}[${index}]`, dropParams));
}

const dataUrl = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

function imageMediaType(declared: string): AnthropicImageMediaType | undefined {
  const normalised = declared.trim().toLowerCase();
  const mediaType = normalised === 'image/jpg' ? 'image/jpeg' : normalised;
  return anthropicImageMediaTypes.find((known) => known === mediaType);
}

/**
 * The image block for an `image_url` part: a base64 `data:` URL becomes an inline `base64`
 * source, an `http(s):` URL a `url` source (Anthropic fetches it). `detail` has no Anthropic
 * counterpart and is not sent. Any other URL, or a data URL that is not base64 JPEG, PNG, GIF or
 * WebP, is a bad request (content is never dropped, whatever `dropParams` says).
 */
export function imageBlock(
  part: ImageContentPart,
  param: string,
  dropParams: boolean,
): AnthropicImageBlock {
  const url = part.image_url.url;
  const cacheControl = cacheControlOf(part, param, dropParams);
  const match = dataUrl.exec(url);
  if (match) {
    const [, declared = '', parameters = '', data = ''] = match;
    const mediaType = imageMediaType(declared);
    if (mediaType === undefined) {
      throw badParameter(
        `${param}.image_url.url`,
        'invalid_value',
        `image type "${declared}" is not supported by Anthropic; use image/jpeg, image/png, image/gif or image/webp`,
      );
    }
    if (!parameters.split(';').includes('base64') || data === '') {
      throw badParameter(
        `${param}.image_url.url`,
        'invalid_value',
        'a data: image URL must carry base64 data (data:<type>;base64,<data>)',
      );
    }
    return withCacheControl<AnthropicImageBlock>(
      { type: 'image', source: { type: 'base64', media_type: mediaType, data } },
      cacheControl,
    );
  }
  if (/^https?:\/\//i.test(url)) {
    return withCacheControl<AnthropicImageBlock>(
      { type: 'image', source: { type: 'url', url } },
      cacheControl,
    );
  }
  throw badParameter(
    `${param}.image_url.url`,
    'invalid_value',
    'an image URL must be an http(s) URL or a base64 data: URL',
  );
}
