import { readFile } from 'node:fs/promises';
import { readAwsSharedFiles } from './aws-shared-files';
import { ConfigError } from './config-error';
import type { LoadedConfig } from './config.types';
import type { Env } from './env-refs';
import { mayUseAwsProfiles } from './normalize-bedrock';
import { finishConfig, startConfig } from './parse-config';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The environment `os.environ/VAR`, NATS_URL, REDIS_URL and provider keys are read from. */
  readonly env: Env;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * Reads and parses the config file at `path` (see {@link parseConfig}); problems refer to the
 * file by `path` as given. When a Bedrock deployment may sign with an AWS profile, the AWS shared
 * credentials and config files are read too (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE of
 * `env`, else `~/.aws/credentials` and `~/.aws/config`).
 * @throws ConfigError when the file is missing or unreadable, or its content is invalid.
 */
export async function loadConfig(path: string, options: LoadConfigOptions): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    const message =
      code === 'ENOENT'
        ? 'config file not found'
        : code === 'EISDIR'
          ? 'expected a file, found a directory'
          : `cannot read the config file (${code ?? 'unknown error'})`;
    throw new ConfigError(path, [{ path: '', message }], { cause: error });
  }
  const draft = startConfig(text, { env: options.env, source: path });
  const awsSharedFiles = mayUseAwsProfiles(draft.parsed.raw.modelEntries)
    ? await readAwsSharedFiles(options.env)
    : undefined;
  return finishConfig(draft, {
    env: options.env,
    source: path,
    ...(awsSharedFiles === undefined ? {} : { awsSharedFiles }),
  });
}
