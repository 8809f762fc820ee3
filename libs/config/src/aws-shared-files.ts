import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseKnownFiles } from '@smithy/core/config';
import type { Env } from './env-refs';
import { firstSetVariable } from './provider-env-defaults';

/** One profile's settings (`aws_access_key_id`, `region`, `credential_process`, …). */
export type AwsProfileSettings = Readonly<Record<string, string | undefined>>;

/** Where the AWS shared credentials and config files are. */
export interface AwsSharedFilePaths {
  /** AWS_SHARED_CREDENTIALS_FILE, else `~/.aws/credentials`. */
  readonly credentialsFile: string;
  /** AWS_CONFIG_FILE, else `~/.aws/config`. */
  readonly configFile: string;
}

/** The AWS shared credentials and config files, as read at start-up (see readAwsSharedFiles). */
export interface AwsSharedFiles extends AwsSharedFilePaths {
  /** Those of the two files that do not exist. */
  readonly missing: readonly string[];
  /**
   * The profiles of both files by name (the config file's `[profile x]` is `x`), where both
   * files set a value the credentials file's winning, as the AWS SDKs merge them.
   */
  readonly profiles: Readonly<Record<string, AwsProfileSettings>>;
}

/** The home directory as the AWS SDKs find it: HOME, USERPROFILE, HOMEDRIVE + HOMEPATH. */
function homeOf(env: Env): string {
  const home = firstSetVariable(env, ['HOME', 'USERPROFILE'])?.value;
  if (home !== undefined) return home;
  const drive = env['HOMEDRIVE'];
  const path = env['HOMEPATH'];
  return drive !== undefined && path !== undefined ? `${drive}${path}` : homedir();
}

/** The paths of the AWS shared files for the environment `env`, `~/` expanded. */
export function awsSharedFilePaths(env: Env): AwsSharedFilePaths {
  const home = homeOf(env);
  const expand = (path: string) => (path.startsWith('~/') ? join(home, path.slice(2)) : path);
  return {
    credentialsFile: expand(
      firstSetVariable(env, ['AWS_SHARED_CREDENTIALS_FILE'])?.value ??
        join(home, '.aws', 'credentials'),
    ),
    configFile: expand(
      firstSetVariable(env, ['AWS_CONFIG_FILE'])?.value ?? join(home, '.aws', 'config'),
    ),
  };
}

/**
 * Reads the AWS shared credentials and config files of the environment `env` with the AWS SDK's
 * own loader (`@smithy/core/config`): a missing or unreadable file counts as empty, as it does
 * for the SDKs. The settings hold secrets: never log them.
 */
export async function readAwsSharedFiles(env: Env): Promise<AwsSharedFiles> {
  const paths = awsSharedFilePaths(env);
  const profiles = await parseKnownFiles({
    filepath: paths.credentialsFile,
    configFilepath: paths.configFile,
    ignoreCache: true,
  });
  return {
    ...paths,
    missing: [paths.credentialsFile, paths.configFile].filter((path) => !existsSync(path)),
    profiles,
  };
}
