import { serviceInboxPrefix, type ServiceRole } from '@switchyard/contracts';
import type { SwitchyardConfig } from './config.types';

/** How a Switchyard process of one role connects to NATS (the options `connectNats` takes). */
export interface ServiceNatsOptions {
  servers: readonly string[];
  /** `switchyard.nats.user` / `password`, when set. */
  user?: string;
  pass?: string;
  /** The role's own inbox prefix (`_INBOX_<role>`), which its NATS user may subscribe to. */
  inboxPrefix: string;
}

/**
 * The servers, login and inbox prefix a process of `role` connects with. Every service
 * connects through this, so a deployment whose NATS users are limited per role (see
 * `@switchyard/nats-auth`) works without other settings.
 */
export function serviceNatsOptions(
  config: SwitchyardConfig,
  role: ServiceRole,
): ServiceNatsOptions {
  const { servers, user, password } = config.switchyard.nats;
  return {
    servers,
    ...(user === undefined ? {} : { user }),
    ...(password === undefined ? {} : { pass: password }),
    inboxPrefix: serviceInboxPrefix(role),
  };
}
