import {
  NatsAuthConfigError,
  tenantPermissions,
  type NatsPermissions,
  type TenantPermissionOptions,
} from './tenant-permissions';

/** One tenant's NATS login. */
export interface TenantLogin {
  tenant: string;
  /** @defaultValue the tenant id */
  user?: string;
  /** The password, or its bcrypt hash (`$2a$11$…`, from `nats server passwd`), which nats-server accepts. */
  password: string;
}

/** Options of {@link natsAuthConfig}. */
export interface NatsAuthConfigOptions extends TenantPermissionOptions {
  tenants: readonly TenantLogin[];
  /**
   * The login of Switchyard's own processes (workers, fallback router, metering, gateway, CLI):
   * no permission limits.
   */
  service: { user?: string; password: string };
}

/** The service user's name when none is given. */
export const DEFAULT_SERVICE_USER = 'switchyard';

/**
 * The `authorization { users = [...] }` block of a nats-server config (2.9 and newer) for an
 * installation: the service user with full access and, per tenant, a user limited to
 * {@link tenantPermissions}. Put it in the server's config file (or `include` it). Throws a
 * NatsAuthConfigError for an invalid tenant, an empty password, a user name used twice or a
 * tenant listed twice.
 */
export function natsAuthConfig(options: NatsAuthConfigOptions): string {
  const serviceUser = options.service.user ?? DEFAULT_SERVICE_USER;
  const users: { user: string; password: string; permissions?: NatsPermissions }[] = [
    { user: serviceUser, password: options.service.password },
  ];
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
  for (const { user, password } of users) {
    if (user === '') throw new NatsAuthConfigError('a user name is empty');
    if (names.has(user))
      throw new NatsAuthConfigError(`user ${JSON.stringify(user)} is used twice`);
    names.add(user);
    if (password === '') {
      throw new NatsAuthConfigError(`the password of user ${JSON.stringify(user)} is empty`);
    }
  }
  const lines = users.map(({ user, password, permissions }) => {
    const login = `user: ${quoted(user)}, password: ${quoted(password)}`;
    return permissions === undefined
      ? `    { ${login} }`
      : `    { ${login}, permissions: ${permissionsText(permissions)} }`;
  });
  return ['authorization {', '  users = [', ...lines, '  ]', '}', ''].join('\n');
}

/** A string in nats-server config syntax (which reads JSON strings). */
function quoted(text: string): string {
  return JSON.stringify(text);
}

function permissionsText(permissions: NatsPermissions): string {
  const list = (subjects: readonly string[]) => `[${subjects.map(quoted).join(', ')}]`;
  return `{ publish: { allow: ${list(permissions.publish.allow)} }, subscribe: { allow: ${list(permissions.subscribe.allow)} } }`;
}
