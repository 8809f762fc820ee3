import { readFileSync } from 'node:fs';
import type { Deployment } from '@switchyard/config';
import { chatCompletionRequestSchema, type ChatCompletionRequest } from '@switchyard/contracts';
import { expect } from 'vitest';
import type { AdapterContext, ProviderChunk, SseEvent } from '../adapter';
import { ProviderError } from '../provider-error';

/** A fixture under fixtures/, parsed from JSON. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as unknown;
}

/** The text of a fixture under fixtures/, as stored. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
}

/** A stream fixture: the server-sent events of a published stream, in order. */
export function streamFixture(name: string): SseEvent[] {
  return fixture(name) as SseEvent[];
}

/** An Anthropic deployment as config produces it. */
export function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'claude/0',
    modelName: 'claude',
    provider: 'anthropic',
    providerModel: 'claude-sonnet-4-5',
    apiKey: 'sk-ant-test',
    timeoutMs: 600_000,
    maxRetries: 2,
    weight: 1,
    limits: {},
    mode: 'chat',
    ...overrides,
  };
}

export function context(
  overrides: { dropParams?: boolean; deployment?: Partial<Deployment> } = {},
): AdapterContext {
  return {
    deployment: deployment(overrides.deployment),
    dropParams: overrides.dropParams ?? false,
  };
}

/** A chat request, validated by the contract schema as a job's request would be. */
export function chatRequest(body: Record<string, unknown>): ChatCompletionRequest {
  return chatCompletionRequestSchema.parse(body);
}

/** The ProviderError `run` throws; fails the test when it throws nothing or something else. */
export function providerErrorOf(run: () => unknown): ProviderError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a ProviderError, but nothing was thrown');
}

/** What a client assembles from chunks: the text, the tool calls by index, the finish reasons. */
export interface AssembledStream {
  role: string | undefined;
  content: string;
  refusal: string;
  toolCalls: Array<{ id?: string; type?: string; name: string; arguments: string }>;
  finishReasons: string[];
}

/** Assembles chunks the way an OpenAI client does. */
export function assemble(chunks: readonly ProviderChunk[]): AssembledStream {
  const out: AssembledStream = {
    role: undefined,
    content: '',
    refusal: '',
    toolCalls: [],
    finishReasons: [],
  };
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      out.role ??= choice.delta.role;
      out.content += choice.delta.content ?? '';
      out.refusal += choice.delta.refusal ?? '';
      for (const call of choice.delta.tool_calls ?? []) {
        const current = (out.toolCalls[call.index] ??= { name: '', arguments: '' });
        if (call.id !== undefined) current.id = call.id;
        if (call.type !== undefined) current.type = call.type;
        current.name += call.function?.name ?? '';
        current.arguments += call.function?.arguments ?? '';
      }
      if (choice.finish_reason !== null) out.finishReasons.push(choice.finish_reason);
    }
  }
  return out;
}
