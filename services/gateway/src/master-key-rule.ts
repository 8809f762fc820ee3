import type { SwitchyardConfig } from '@switchyard/config';
import { UserError } from '@switchyard/entrypoint';
import type { Logger } from '@switchyard/telemetry';

/** What the start-up rule needs from the command line. */
export interface MasterKeyRuleOptions {
  /** `--insecure` was given. */
  insecure: boolean;
  /** The config file, as named on the command line (for the error). */
  configPath: string;
  /** `host:port` the gateway will listen on (for the warning). */
  listenOn: string;
}

/**
 * The start-up rule of the gateway process (main.ts), secure by default wherever it is
 * deployed: with `general_settings.master_key` every request needs a key (a useless
 * `--insecure` is logged). Without one the process refuses to start unless `--insecure` was
 * given; with it, requests without a valid key are served as tenant `default` with every
 * model, and a warning saying so is logged. `startGateway` itself does
 * not apply the rule, so that tests and embedders can still run an open gateway in-process.
 * @throws UserError naming what to set, or the flag to pass, when there is no master key and
 *   no `--insecure`.
 */
export function applyMasterKeyRule(
  config: SwitchyardConfig,
  options: MasterKeyRuleOptions,
  log: Pick<Logger, 'warn'>,
): void {
  if (config.general.masterKey !== undefined) {
    if (options.insecure) {
      log.warn(
        '--insecure has no effect: general_settings.master_key is set, every request needs a key',
      );
    }
    return;
  }
  if (!options.insecure) {
    throw new UserError(
      `no master key in ${options.configPath}, so every request would be served as tenant ` +
        '"default" with every model, whatever key it carries. Set general_settings.master_key ' +
        '(e.g. `master_key: os.environ/SWITCHYARD_MASTER_KEY`, with SWITCHYARD_MASTER_KEY set to ' +
        'the output of `openssl rand -hex 32`), or start the gateway with --insecure to run it ' +
        'open anyway',
    );
  }
  log.warn(
    `--insecure: no master key, so anyone who reaches ${options.listenOn} is served as tenant ` +
      '"default" with every model, unknown and revoked keys included; set ' +
      'general_settings.master_key to require keys',
  );
}
