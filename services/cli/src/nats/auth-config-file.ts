import {
  ServiceRoles,
  StreamNameError,
  SubjectError,
  type ServiceRole,
} from '@switchyard/contracts';
import { UserError } from '@switchyard/entrypoint';
import {
  natsAuthConfig,
  NatsAuthConfigError,
  serviceUserName,
  type ServiceLogin,
  type TenantLogin,
} from '@switchyard/nats-auth';

/**
 * The environment variable of nats-server that holds a service role's password in the
 * shipped deployments (`NATS_WORKER_PASSWORD`); each process of the role gets the same value
 * as NATS_PASSWORD.
 */
export function servicePasswordVariable(role: ServiceRole): string {
  return `NATS_${role.toUpperCase()}_PASSWORD`;
}

/** Options of {@link authConfigFile}. */
export interface AuthConfigFileOptions {
  tenants: readonly TenantLogin[];
  /** `switchyard.nats.subject_root` of the installation. */
  subjectRoot: string;
  /** `switchyard.nats.stream_prefix` of the installation ('' for none). */
  streamPrefix: string;
  /** The command line that makes this file, for its header (`nats auth-config --tenant …`). */
  command: string;
}

/**
 * The text of a nats-server include file with the `authorization` block of an installation
 * (libs/nats-auth): one user per service role, `switchyard-<role>`, whose password is the
 * variable `$NATS_<ROLE>_PASSWORD`, and one user per tenant. A header says how it was made
 * and which variable each user's password is. Throws a UserError for a tenant nats-auth
 * refuses, a bad subject root or stream prefix, or a tenant sharing a service's variable.
 */
export function authConfigFile(options: AuthConfigFileOptions): string {
  const services: Partial<Record<ServiceRole, ServiceLogin>> = {};
  const passwords: [user: string, source: string][] = [];
  for (const role of ServiceRoles) {
    services[role] = { password: { env: servicePasswordVariable(role) } };
    passwords.push([serviceUserName(role), `$${servicePasswordVariable(role)}`]);
  }
  for (const { tenant, user, password } of options.tenants) {
    const shared = ServiceRoles.find(
      (role) => typeof password !== 'string' && password.env === servicePasswordVariable(role),
    );
    if (shared !== undefined) {
      throw new UserError(
        `--tenant ${tenant}: ${servicePasswordVariable(shared)} is the password of ` +
          `${serviceUserName(shared)}; give the tenant a variable of its own`,
      );
    }
    passwords.push([
      user ?? tenant,
      typeof password === 'string' ? 'a bcrypt hash' : `$${password.env}`,
    ]);
  }
  let block: string;
  try {
    block = natsAuthConfig({
      services,
      tenants: options.tenants,
      subjectRoot: options.subjectRoot,
      ...(options.streamPrefix === '' ? {} : { streamPrefix: options.streamPrefix }),
    });
  } catch (error) {
    const refused = [NatsAuthConfigError, SubjectError, StreamNameError];
    if (!refused.some((kind) => error instanceof kind)) throw error;
    throw new UserError((error as Error).message, { cause: error });
  }
  const width = Math.max(...passwords.map(([user]) => user.length));
  const header = [
    'The NATS users of a Switchyard installation: one per service role, each allowed only what',
    'its role needs, and one per tenant (docs/tenancy.md). Generated: do not edit; made by',
    `  npx switchyard ${options.command}`,
    "Each user's password ($VAR: a variable nats-server reads from its own environment):",
    ...passwords.map(([user, source]) => `  ${user.padEnd(width)}  ${source}`),
  ];
  return `${header.map((line) => `# ${line}`.trimEnd()).join('\n')}\n${block}`;
}
