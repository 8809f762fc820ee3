import type { GoogleCredentialsJson } from '@switchyard/config';
import { GoogleAuth, JWT, UserRefreshClient, gaxios, type AuthClient } from 'google-auth-library';
import { ProviderError } from '../provider-error';
import { VERTEX_PROVIDER } from './vertex.constants';

/** The OAuth scope of an access token for Vertex AI (and every other Google Cloud API). */
export const googleCloudScope = 'https://www.googleapis.com/auth/cloud-platform';

/** Where google-auth-library sends a service account's JWT, whatever `token_uri` says. */
const googleTokenUrl = 'https://oauth2.googleapis.com/token';

/** A token is fetched again this long before it expires. */
const refreshBeforeExpiryMs = 5 * 60_000;
/** How long one token request may take. */
const tokenTimeoutMs = 10_000;
/** Lifetime assumed when the token answer does not say (Google's tokens live an hour). */
const defaultLifetimeMs = 3600_000;

interface CachedToken {
  token: string;
  refreshAt: number;
}

/**
 * A fresh client for the credentials: a JWT client for a service account key (google-auth-library
 * signs the RS256 assertion and exchanges it, the JWT bearer grant, at the key's `token_uri`), a
 * UserRefreshClient for a user's credentials (`authorized_user`, gcloud's application default
 * credentials: the refresh token grant, at `token_uri` when the JSON names one), else GoogleAuth
 * for any other credentials JSON, or to find application default credentials (the metadata
 * server) when there is none.
 */
async function clientFor(credentials: GoogleCredentialsJson | undefined): Promise<AuthClient> {
  if (credentials?.type === 'authorized_user') return userClient(credentials);
  if (credentials?.type !== 'service_account') {
    const auth = new GoogleAuth({
      scopes: [googleCloudScope],
      ...(credentials === undefined ? {} : { credentials }),
      clientOptions: { transporterOptions: { timeout: tokenTimeoutMs } },
    });
    return auth.getClient();
  }
  const client = new JWT({
    email: credentials.client_email,
    key: credentials.private_key,
    ...(typeof credentials.private_key_id === 'string'
      ? { keyId: credentials.private_key_id }
      : {}),
    scopes: [googleCloudScope],
    transporterOptions: { timeout: tokenTimeoutMs },
  });
  // google-auth-library always posts to Google's token URL; a key naming another one (a private
  // endpoint, or the simulator) is honoured by pointing that request there.
  const tokenUri = credentials.token_uri;
  if (tokenUri !== undefined && tokenUri !== googleTokenUrl) {
    client.transporter.interceptors.request.add({
      resolved: (options) => {
        if (options.url.href === googleTokenUrl) options.url = new URL(tokenUri);
        return Promise.resolve(options);
      },
    });
  }
  return client;
}

/**
 * A client refreshing a user's access token with their refresh token. google-auth-library reads no
 * `token_uri` from such a JSON (the Python library does); it is honoured through the client's
 * `endpoints.oauth2TokenUrl`.
 */
function userClient(credentials: GoogleCredentialsJson): UserRefreshClient {
  const text = (field: string) => {
    const value = credentials[field];
    return typeof value === 'string' ? value : undefined;
  };
  const tokenUri = text('token_uri');
  return new UserRefreshClient({
    clientId: text('client_id'),
    clientSecret: text('client_secret'),
    refreshToken: text('refresh_token'),
    ...(tokenUri === undefined ? {} : { endpoints: { oauth2TokenUrl: tokenUri } }),
    transporterOptions: { timeout: tokenTimeoutMs },
  });
}

/** The ProviderError for a failed token request, without the assertion or the key. */
function tokenError(credentials: GoogleCredentialsJson | undefined, error: unknown): ProviderError {
  const who =
    typeof credentials?.client_email === 'string'
      ? `service account ${credentials.client_email}`
      : credentials === undefined
        ? 'application default credentials'
        : credentials.type === 'authorized_user' && typeof credentials['client_id'] === 'string'
          ? `authorized_user credentials of OAuth client ${credentials['client_id']}`
          : `${credentials.type} credentials`;
  if (error instanceof gaxios.GaxiosError && error.response !== undefined) {
    const status = error.response.status;
    const data: unknown = error.response.data;
    const body = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const reason =
      typeof body['error'] === 'string'
        ? `${body['error']}${typeof body['error_description'] === 'string' ? `: ${body['error_description']}` : ''}`
        : `HTTP ${status}`;
    // 400 and 401 say the credentials are wrong: trying again will not help.
    const type = status === 400 || status === 401 ? 'auth' : 'server';
    return new ProviderError(
      type,
      'google_token_refused',
      `Google token request for ${who}: ${reason}`,
      {
        provider: VERTEX_PROVIDER,
        providerStatus: status,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    'auth',
    'google_credentials_unusable',
    `Google token request for ${who}: ${message}`,
    { provider: VERTEX_PROVIDER },
  );
}

/**
 * Google OAuth access tokens for Vertex AI, one per credentials: fetched on first use through
 * google-auth-library, kept until five minutes before they expire, fetched once for all the calls
 * that need one at the same time, and dropped when Vertex AI refuses them (see forget).
 */
export class GoogleTokens {
  private readonly cached = new Map<string, CachedToken>();
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A valid access token for the credentials (undefined: application default credentials). */
  async token(credentials: GoogleCredentialsJson | undefined): Promise<string> {
    const key = JSON.stringify(credentials ?? null);
    const cached = this.cached.get(key);
    if (cached !== undefined && cached.refreshAt > this.now()) return cached.token;
    let pending = this.fetching.get(key);
    if (pending === undefined) {
      pending = this.fetchToken(credentials).then(({ token, expiresAt }) => {
        this.cached.set(key, { token, refreshAt: expiresAt - refreshBeforeExpiryMs });
        return token;
      });
      const forget = () => this.fetching.delete(key);
      pending.then(forget, forget);
      this.fetching.set(key, pending);
    }
    return pending;
  }

  /** Drops the token `token` of the credentials (Vertex AI refused it): the next call fetches one. */
  forget(credentials: GoogleCredentialsJson | undefined, token: string): void {
    const key = JSON.stringify(credentials ?? null);
    if (this.cached.get(key)?.token === token) this.cached.delete(key);
  }

  private async fetchToken(
    credentials: GoogleCredentialsJson | undefined,
  ): Promise<{ token: string; expiresAt: number }> {
    let client: AuthClient;
    let token: string | null | undefined;
    try {
      // A new client each time, so that its own cache never hands back the token being replaced.
      client = await clientFor(credentials);
      token = (await client.getAccessToken()).token;
    } catch (error) {
      throw tokenError(credentials, error);
    }
    if (token === null || token === undefined || token === '') {
      throw tokenError(credentials, new Error('the answer carries no access token'));
    }
    const expiry = client.credentials.expiry_date;
    const expiresAt =
      typeof expiry === 'number' && expiry > 0 ? expiry : this.now() + defaultLifetimeMs;
    return { token, expiresAt };
  }
}

/** The tokens every call of this process shares. */
export const googleTokens = new GoogleTokens();
