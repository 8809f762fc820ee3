import type { AzureEntraCredentials } from '@switchyard/config';
import { z } from 'zod';
import { ProviderError } from '../../provider-error';

/** The scope of an access token for Azure OpenAI (Azure AI services). */
export const azureOpenAiScope = 'https://cognitiveservices.azure.com/.default';

/** A token is fetched again this long before it expires. */
const refreshBeforeExpiryMs = 5 * 60_000;
/** How long one token request may take. */
const tokenTimeoutMs = 10_000;

type ClientSecret = Extract<AzureEntraCredentials, { kind: 'client_secret' }>;

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});
const tokenErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

function keyOf(credentials: ClientSecret): string {
  return JSON.stringify([
    credentials.authorityHost,
    credentials.tenantId,
    credentials.clientId,
    credentials.clientSecret,
  ]);
}

interface CachedToken {
  token: string;
  refreshAt: number;
}

/**
 * Access tokens of Entra ID app registrations (the OAuth 2.0 client credentials grant), one per
 * tenant, client and secret: fetched on first use, kept until five minutes before they expire,
 * and fetched once for all the calls that need one at the same time.
 */
export class EntraTokens {
  private readonly cached = new Map<string, CachedToken>();
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A valid access token for the credentials. Rejects with a ProviderError. */
  async token(credentials: ClientSecret): Promise<string> {
    const key = keyOf(credentials);
    const cached = this.cached.get(key);
    if (cached !== undefined && cached.refreshAt > this.now()) return cached.token;
    let pending = this.fetching.get(key);
    if (pending === undefined) {
      pending = this.fetchToken(credentials).then(({ token, expiresInMs }) => {
        this.cached.set(key, {
          token,
          refreshAt: this.now() + expiresInMs - refreshBeforeExpiryMs,
        });
        return token;
      });
      const forget = () => this.fetching.delete(key);
      pending.then(forget, forget);
      this.fetching.set(key, pending);
    }
    return pending;
  }

  /** Drops the token `token` of the credentials (Azure refused it): the next call fetches one. */
  forget(credentials: ClientSecret, token: string): void {
    const key = keyOf(credentials);
    if (this.cached.get(key)?.token === token) this.cached.delete(key);
  }

  private async fetchToken(
    credentials: ClientSecret,
  ): Promise<{ token: string; expiresInMs: number }> {
    const url = `${credentials.authorityHost}/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`;
    const fail = (type: 'auth' | 'server', code: string, message: string, status?: number) =>
      new ProviderError(
        type,
        code,
        `Entra ID token request for client ${credentials.clientId}: ${message}`,
        {
          provider: 'azure',
          ...(status === undefined ? {} : { providerStatus: status }),
        },
      );
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          scope: azureOpenAiScope,
        }).toString(),
        signal: AbortSignal.timeout(tokenTimeoutMs),
      });
    } catch (error) {
      throw fail(
        'server',
        'entra_unreachable',
        error instanceof Error ? error.message : String(error),
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const refused = tokenErrorSchema.safeParse(body);
      const reason = refused.success
        ? `${refused.data.error}${refused.data.error_description === undefined ? '' : `: ${refused.data.error_description}`}`
        : `HTTP ${response.status}`;
      // 400 and 401 say the credentials are wrong: trying again will not help.
      const type = response.status === 400 || response.status === 401 ? 'auth' : 'server';
      throw fail(type, 'entra_token_refused', reason, response.status);
    }
    const granted = tokenResponseSchema.safeParse(body);
    if (!granted.success) {
      throw fail(
        'server',
        'entra_bad_token_response',
        'the answer is not a token response',
        response.status,
      );
    }
    return { token: granted.data.access_token, expiresInMs: granted.data.expires_in * 1000 };
  }
}

/** The tokens every call of this process shares. */
export const entraTokens = new EntraTokens();
