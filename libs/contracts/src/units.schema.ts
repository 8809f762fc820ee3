import { z } from 'zod';

/** A point in time as milliseconds since the Unix epoch (`Date.now()`). */
export const epochMsSchema = z.int().nonnegative();

/** A point in time as whole seconds since the Unix epoch (OpenAI's `created`). */
export const epochSecondsSchema = z.int().nonnegative();

/** A duration in milliseconds. */
export const durationMsSchema = z.number().nonnegative();

/** A number of tokens. */
export const tokenCountSchema = z.int().nonnegative();

/** An amount in US dollars. */
export const usdSchema = z.number().nonnegative();

/** A cost in US dollars, or null when the price of the deployment is unknown. */
export const costUsdSchema = usdSchema.nullable();
