import { z } from 'zod';
import { epochMsSchema } from './units.schema';
import { contractVersionSchema } from './version';

/**
 * What one worker tells the others about a deployment (core NATS, not stored), on
 * `<root>.events.cooldown.<deployment token>`, so that no worker asks Redis about cooldowns per
 * job:
 * - `failed`: a failure was counted (Redis holds the count); the next success must reset it;
 * - `cooling_down_until`: a cooldown started (or runs) until then (epoch ms): take no calls;
 * - `reset`: a success reset the failure count;
 * - `from`: who announced it (an id per worker process), so that a worker skips its own events
 *   when NATS echoes them: it applied them when it sent them, and an echo can arrive after
 *   another worker's later event, whose effect it would undo. Absent from earlier versions.
 */
export const cooldownEventSchema = z
  .object({
    v: contractVersionSchema,
    deployment: z.string().min(1),
    kind: z.enum(['failed', 'reset']),
    cooling_down_until: epochMsSchema.optional(),
    from: z.string().min(1).max(64).optional(),
  })
  .meta({ description: "A change of a deployment's failure count or cooldown" });
export type CooldownEvent = z.infer<typeof cooldownEventSchema>;
