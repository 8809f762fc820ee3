import 'reflect-metadata';
import type { NatsConnection } from '@nats-io/nats-core';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { makeError, type SpendReply } from '@switchyard/contracts';
import { type Logger, PinoNestLogger } from '@switchyard/telemetry';
import type { Redis } from 'ioredis';
import { meteringKeys } from './aggregate-keys';
import { readMeteringStatus, type MeteringStatus } from './metering-state';
import { parseSpendQuery } from './spend-query';
import { readSpend } from './spend-reader';
import { SharedConnectionNatsServer } from './spend-transport';

/** What the spend controller reads from. */
export interface SpendContext {
  redis: Redis;
  keyPrefix: string;
  logger: Logger;
  now?: () => number;
}

const SPEND_CONTEXT = Symbol('SPEND_CONTEXT');

/**
 * The answer while metering's Redis state is incomplete: a `server` error (retryable) with code
 * `metering_rebuilding`, never partial numbers.
 */
function notReady(state: Exclude<MeteringStatus, { status: 'ready' }>): SpendReply {
  const message =
    state.status === 'rebuilding'
      ? `metering is rebuilding its aggregates from the usage stream after Redis lost them (${state.replayed} of ${state.target} events replayed); spend is incomplete until it finishes: retry shortly`
      : "metering's aggregates are missing from Redis (lost, or not yet marked): a rebuild from the usage stream starts within seconds; retry shortly";
  return { ok: false, error: makeError('server', 'metering_rebuilding', message) };
}

/**
 * Answers one request's text: a spend reply, never an exception. While metering's state in
 * Redis is missing or being rebuilt, the reply is the `metering_rebuilding` error.
 */
export async function answerSpendQuery(ctx: SpendContext, text: string): Promise<SpendReply> {
  const parsed = parseSpendQuery(text);
  if (!parsed.ok) return parsed;
  try {
    const state = await readMeteringStatus(ctx.redis, meteringKeys(ctx.keyPrefix));
    if (state.status !== 'ready') return notReady(state);
    return await readSpend(ctx.redis, ctx.keyPrefix, parsed.query, (ctx.now ?? Date.now)());
  } catch (error) {
    ctx.logger.error({ err: error }, 'reading spend failed');
    return {
      ok: false,
      error: makeError('server', 'metering_unavailable', 'metering could not read the aggregates'),
    };
  }
}

function spendModule(subject: string, ctx: SpendContext): DynamicModule {
  @Controller()
  class SpendController {
    constructor(@Inject(SPEND_CONTEXT) private readonly context: SpendContext) {}

    @MessagePattern(subject)
    answer(text: string): Promise<SpendReply> {
      return answerSpendQuery(this.context, text);
    }
  }
  @Module({})
  class SpendModule {}
  return {
    module: SpendModule,
    controllers: [SpendController],
    providers: [{ provide: SPEND_CONTEXT, useValue: ctx }],
  };
}

/** A running spend query service. */
export interface SpendService {
  close(): Promise<void>;
}

/**
 * Starts the spend queries as a NestJS microservice on the NATS transport, answering
 * `subject` (`<root>.metering.spend`) in the queue group of all metering replicas, over the
 * given connection (see SharedConnectionNatsServer).
 */
export async function startSpendService(
  nc: NatsConnection,
  subject: string,
  ctx: SpendContext,
): Promise<SpendService> {
  const app = await NestFactory.createMicroservice(spendModule(subject, ctx), {
    strategy: new SharedConnectionNatsServer(nc),
    logger: new PinoNestLogger(ctx.logger),
  });
  await app.listen();
  return { close: () => app.close() };
}
