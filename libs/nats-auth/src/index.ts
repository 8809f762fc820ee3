export {
  natsAuthConfig,
  serviceUserName,
  type NatsAuthConfigOptions,
  type PasswordSource,
  type ServiceLogin,
  type TenantLogin,
} from './nats-auth-config';
export { servicePermissions } from './service-permissions';
export {
  NatsAuthConfigError,
  tenantPermissions,
  type NatsPermissions,
  type TenantPermissionOptions,
} from './tenant-permissions';
