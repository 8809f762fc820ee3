import { UserError } from '@switchyard/entrypoint';
import type { TenantLogin } from '@switchyard/nats-auth';

/** An environment variable of nats-server, in capitals: written into the file as `$VAR`. */
const variableName = /^[A-Z_][A-Z0-9_]*$/;
/** A bcrypt hash, as `nats server passwd` prints it. */
const bcryptHash = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * One `--tenant <id>=<password>` option of `switchyard nats auth-config`: the tenant's NATS
 * user (named as the tenant) and its password, which is either the name of an environment
 * variable of nats-server in capitals (written into the file as `$VAR`) or a bcrypt hash.
 * Anything else is refused without echoing it, since it may be a password: a password itself
 * never goes into the file. The tenant id is checked by natsAuthConfig.
 */
export function tenantLoginOption(value: string): TenantLogin {
  const at = value.indexOf('=');
  if (at === -1) {
    throw new UserError(
      `--tenant must be <tenant id>=<password variable or bcrypt hash>, got "${value}"`,
    );
  }
  const tenant = value.slice(0, at);
  const password = value.slice(at + 1);
  if (variableName.test(password)) return { tenant, password: { env: password } };
  if (bcryptHash.test(password)) return { tenant, password };
  throw new UserError(
    `--tenant ${tenant}=…: the password must be the name of an environment variable of ` +
      `nats-server in capitals (e.g. NATS_TENANT_PASSWORD, written into the file as ` +
      '$NATS_TENANT_PASSWORD) or a bcrypt hash from `nats server passwd`; a password itself ' +
      'never goes into the file',
  );
}
