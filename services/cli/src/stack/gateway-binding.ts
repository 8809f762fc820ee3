import { isIP } from 'node:net';
import type { SwitchyardConfig } from '@switchyard/config';
import { UserError } from '@switchyard/entrypoint';

/** What `up` says when the config has no master key: in the log at start and in the banner. */
export const noMasterKeyNotice =
  'no master key: the gateway runs with --insecure (every request is tenant "default" with ' +
  'every model) and listens on 127.0.0.1 only; set general_settings.master_key to require ' +
  'keys and to listen on other interfaces (--host)';

/** Whether only this machine can reach a server bound to `host`. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * The address `up` runs the gateway on: `host` (`--host`, default 127.0.0.1) when the config
 * has a master key. Without one the gateway runs with `--insecure` (see planServices), so
 * only on loopback: any other `--host` is refused with a UserError saying what to set.
 */
export function gatewayHost(config: SwitchyardConfig, host: string): string {
  if (config.general.masterKey !== undefined || isLoopbackHost(host)) return host;
  throw new UserError(
    `--host ${host}: the config has no master key, so the gateway would serve anyone as tenant ` +
      '"default" with every model; it listens on 127.0.0.1 only. Set general_settings.master_key ' +
      'to listen on other interfaces',
  );
}
