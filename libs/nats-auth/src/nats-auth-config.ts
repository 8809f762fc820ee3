import { ServiceRoles, type ServiceRole } from '@switchyard/contracts';
import { servicePermissions } from './service-permissions';
import {
  NatsAuthConfigError,
  tenantPermissions,
  type NatsPermissions,
  type TenantPermissionOptions,
} from './tenant-permissions';

/**
 * A password as it goes into the config: the text itself (or its bcrypt hash, `$2a$11$…`, from
 * `nats server passwd`, which nats-server accepts), or `{ env: 'VAR' }`, written as the
 * variable reference `$VAR` that nats-server resolves from its environment at start-up, so
 * the file holds no secret.
 */
export type PasswordSource = string | { env: string };

/** One tenant's NATS login. */
export interface TenantLogin {
  tenant: string;
  /** @defaultValue the tenant id */
  user?: string;
  password: PasswordSource;
}

/** The login of one service role. */
export interface ServiceLogin {
  /** @defaultValue `switchyard-<role>` (see serviceUserName) */
  user?: string;
  password: PasswordSource;
}

/** Options of {@link natsAuthConfig}. */
export interface NatsAuthConfigOptions extends TenantPermissionOptions {
  tenants: readonly TenantLogin[];
  /**
   * The logins of Switchyard's own processes, one per role; each user may do only what its
   * role needs (see servicePermissions). A role left out has no user.
   */
  services: Partial<Record<ServiceRole, ServiceLogin>>;
}

/** The NATS user name of a service role when none is given: `switchyard-<role>`. */
export function serviceUserName(role: ServiceRole): string {
  return `switchyard-${role}`;
}

interface UserEntry {
  user: string;
  password: PasswordSource;
  permissions: NatsPermissions & { allowResponses?: true };
}

/**
 * The `authorization { users = [...] }` block of a nats-server config (2.9 and newer) for an
 * installation: one user per service role limited to {@link servicePermissions} and one per
 * tenant limited to {@link tenantPermissions}. Put it in the server's config file (or
 * `include` it). Throws a NatsAuthConfigError for an invalid tenant, an empty password or
 * variable name, a user name used twice or a tenant listed twice.
 */
export function natsAuthConfig(options: NatsAuthConfigOptions): string {
  const users: UserEntry[] = [];
  for (const role of ServiceRoles) {
    const login = options.services[role];
    if (login === undefined) continue;
    users.push({
      user: login.user ?? serviceUserName(role),
      password: login.password,
      permissions: servicePermissions(role, options),
    });
  }
  const tenants = new Set<string>();
  for (const login of options.tenants) {
    if (tenants.has(login.tenant)) {
      throw new NatsAuthConfigError(`tenant ${JSON.stringify(login.tenant)} is listed twice`);
    }
    tenants.add(login.tenant);
    users.push({
      user: login.user ?? login.tenant,
      password: login.password,
      permissions: tenantPermissions(login.tenant, options),
    });
  }
  const names = new Set<string>();
  for (const { user } of users) {
    if (user === '') throw new NatsAuthConfigError('a user name is empty');
    if (names.has(user))
      throw new NatsAuthConfigError(`user ${JSON.stringify(user)} is used twice`);
    names.add(user);
  }
  const lines = users.map(
    ({ user, password, permissions }) =>
      `    { user: ${quoted(user)}, password: ${passwordText(user, password)}, permissions: ${permissionsText(permissions)} }`,
  );
  return ['authorization {', '  users = [', ...lines, '  ]', '}', ''].join('\n');
}

/** A string in nats-server config syntax (which reads JSON strings). */
function quoted(text: string): string {
  return JSON.stringify(text);
}

function passwordText(user: string, password: PasswordSource): string {
  if (typeof password === 'string') {
    if (password === '') {
      throw new NatsAuthConfigError(`the password of user ${JSON.stringify(user)} is empty`);
    }
    return quoted(password);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(password.env)) {
    throw new NatsAuthConfigError(
      `the password variable of user ${JSON.stringify(user)} must be a variable name, got ${JSON.stringify(password.env)}`,
    );
  }
  return `$${password.env}`;
}

function permissionsText(permissions: NatsPermissions & { allowResponses?: true }): string {
  const list = (subjects: readonly string[]) => `[${subjects.map(quoted).join(', ')}]`;
  const responses = permissions.allowResponses === true ? ', allow_responses: true' : '';
  return `{ publish: { allow: ${list(permissions.publish.allow)} }, subscribe: { allow: ${list(permissions.subscribe.allow)} }${responses} }`;
}
