export {
  DEFAULT_SERVICE_USER,
  natsAuthConfig,
  type NatsAuthConfigOptions,
  type TenantLogin,
} from './nats-auth-config';
export {
  NatsAuthConfigError,
  tenantInboxPrefix,
  tenantPermissions,
  type NatsPermissions,
  type TenantPermissionOptions,
} from './tenant-permissions';
