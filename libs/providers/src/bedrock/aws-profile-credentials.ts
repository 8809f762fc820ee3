import { fromIni } from '@aws-sdk/credential-provider-ini';
import type { AwsCredentials, AwsProfileRef } from '@switchyard/config';
import { ProviderError } from '../provider-error';
import { BEDROCK_PROVIDER } from './bedrock.errors';

/** Credentials that expire are resolved again this long before they do (the AWS SDKs' margin). */
const refreshBeforeExpiryMs = 5 * 60_000;
/**
 * Credentials without an expiry (static keys in the files) are read again after this long, so
 * that a rewritten credentials file (a refreshed session token) is picked up.
 */
const rereadStaticMs = 5 * 60_000;

/** Credentials as the AWS SDK resolves them: `expiration` is set when they expire. */
export interface ResolvedAwsCredentials extends AwsCredentials {
  readonly expiration?: Date;
}

/** Resolves a profile's credentials from its files; rejects when it cannot. */
export type AwsProfileResolver = (profile: AwsProfileRef) => Promise<ResolvedAwsCredentials>;

/**
 * The AWS SDK's resolution of a shared-files profile (`fromIni` of
 * `@aws-sdk/credential-provider-ini`), reading both files afresh each time: static keys (with a
 * session token), `credential_process`, and the sources that call AWS (an assumed role, IAM
 * Identity Center, a web identity token).
 */
export const resolveWithFromIni: AwsProfileResolver = async (profile) => {
  const credentials = await fromIni({
    profile: profile.name,
    filepath: profile.credentialsFile,
    configFilepath: profile.configFile,
    ignoreCache: true,
  })();
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    ...(credentials.expiration === undefined ? {} : { expiration: credentials.expiration }),
  };
};

interface Cached {
  readonly credentials: ResolvedAwsCredentials;
  readonly refreshAt: number;
}

const keyOf = (profile: AwsProfileRef) =>
  `${profile.name}\u0000${profile.credentialsFile}\u0000${profile.configFile}`;

/** A ProviderError for a profile whose credentials cannot be resolved; says no secret. */
function unusable(profile: AwsProfileRef, error: unknown): ProviderError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    'auth',
    'aws_credentials_unusable',
    `AWS profile "${profile.name}" (${profile.credentialsFile}, ${profile.configFile}): ${reason}`,
    { provider: BEDROCK_PROVIDER, cause: error },
  );
}

/**
 * The credentials of the AWS profiles Bedrock deployments sign with, one entry per profile:
 * resolved on first use, shared by the calls that need them at the same time, resolved again
 * five minutes before they expire (halfway through their life when that is shorter), every
 * five minutes for credentials that do not expire, and at once after Bedrock refused them
 * (see forget). Failures are not kept: the next call tries again.
 */
export class AwsProfileCredentials {
  private readonly cached = new Map<string, Cached>();
  private readonly resolving = new Map<string, Promise<ResolvedAwsCredentials>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly resolve: AwsProfileResolver = resolveWithFromIni,
  ) {}

  /** Valid credentials of the profile. Rejects with a ProviderError (`aws_credentials_unusable`). */
  async credentials(profile: AwsProfileRef): Promise<ResolvedAwsCredentials> {
    const key = keyOf(profile);
    const cached = this.cached.get(key);
    if (cached !== undefined && cached.refreshAt > this.now()) return cached.credentials;
    let pending = this.resolving.get(key);
    if (pending === undefined) {
      pending = this.resolve(profile).then(
        (credentials) => {
          this.cached.set(key, { credentials, refreshAt: this.refreshAt(credentials) });
          return credentials;
        },
        (error: unknown) => {
          throw unusable(profile, error);
        },
      );
      const done = () => this.resolving.delete(key);
      pending.then(done, done);
      this.resolving.set(key, pending);
    }
    return pending;
  }

  /** Drops the profile's credentials (Bedrock refused them): the next call resolves them again. */
  forget(profile: AwsProfileRef): void {
    this.cached.delete(keyOf(profile));
  }

  private refreshAt(credentials: ResolvedAwsCredentials): number {
    const now = this.now();
    if (credentials.expiration === undefined) return now + rereadStaticMs;
    const left = credentials.expiration.getTime() - now;
    return now + left - Math.min(refreshBeforeExpiryMs, left / 2);
  }
}

/** The profile credentials every call of this process shares. */
export const awsProfileCredentials = new AwsProfileCredentials();
