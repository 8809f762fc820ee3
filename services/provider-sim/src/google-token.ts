import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, send } from './http-io';
import type { SimState } from './sim-state';

/** Every access token the simulator issues for Google starts so; Vertex AI accepts no other. */
export const googleTokenPrefix = 'sim-google-';

/** The grant a service account signs in with: its signed JWT as the assertion (RFC 7523). */
export const jwtBearerGrant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The grant a user's credentials (gcloud's application default credentials) sign in with. */
export const refreshTokenGrant = 'refresh_token';

/** The OAuth client and refresh token of a user the token endpoint knows (see refreshProblem). */
export interface GoogleAuthorizedUser {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

/** How long an issued token lives, in seconds, as Google's answers say. */
const tokenLifetimeSeconds = 3599;
/** Google refuses assertions that live longer than an hour; a minute of clock skew is allowed. */
const maxAssertionLifetimeSeconds = 3600;
const skewSeconds = 60;

function answer(res: ServerResponse, status: number, body: object): void {
  send(res, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  });
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What is wrong with an assertion, in Google's words; undefined when it is good. */
function assertionProblem(
  assertion: string,
  accounts: ReadonlyMap<string, KeyObject>,
  nowSeconds: number,
): string | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'Invalid JWT: not a compact JWS.';
  const [headerPart = '', payloadPart = '', signature = ''] = parts;
  const header = decodePart(headerPart);
  const payload = decodePart(payloadPart);
  if (header === undefined || payload === undefined) return 'Invalid JWT: unreadable.';
  if (header['alg'] !== 'RS256') return 'Invalid JWT: only RS256 is accepted.';
  const iss = payload['iss'];
  if (typeof iss !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(iss)) {
    return 'Invalid JWT: iss is not a service account email.';
  }
  if (typeof payload['aud'] !== 'string' || payload['aud'] === '') {
    return 'Invalid JWT: no audience.';
  }
  const iat = payload['iat'];
  const exp = payload['exp'];
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    exp <= nowSeconds - skewSeconds ||
    iat > nowSeconds + skewSeconds ||
    exp - iat > maxAssertionLifetimeSeconds
  ) {
    return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
  }
  const key = accounts.get(iss);
  if (key === undefined) return undefined;
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const good = verify('RSA-SHA256', signed, key, Buffer.from(signature, 'base64url'));
  return good ? undefined : 'Invalid JWT Signature.';
}

/**
 * What is wrong with a refresh_token grant, as Google answers it; undefined when it is good:
 * the refresh token must have been registered (addGoogleAuthorizedUser), for the OAuth client
 * that presents it with its secret.
 */
function refreshProblem(
  form: URLSearchParams,
  users: ReadonlyMap<string, GoogleAuthorizedUser>,
): { status: number; error: string; description: string } | undefined {
  for (const name of ['refresh_token', 'client_id'] as const) {
    if (!form.get(name)) {
      return {
        status: 400,
        error: 'invalid_request',
        description: `Missing required parameter: ${name}`,
      };
    }
  }
  const user = users.get(form.get('refresh_token') ?? '');
  if (user === undefined) {
    return {
      status: 400,
      error: 'invalid_grant',
      description: 'Token has been expired or revoked.',
    };
  }
  if (user.clientId !== form.get('client_id') || user.clientSecret !== form.get('client_secret')) {
    return { status: 401, error: 'invalid_client', description: 'Unauthorized' };
  }
  return undefined;
}

/** The public key of a service account, for {@link handleGoogleToken} to check its JWTs against. */
export function serviceAccountKey(publicKeyPem: string): KeyObject {
  return createPublicKey(publicKeyPem);
}

/**
 * Google's OAuth 2.0 token endpoint (`POST /token`, a form) for two grants:
 *
 * - `urn:ietf:params:oauth:grant-type:jwt-bearer` with `assertion`, a service account's JWT:
 *   an RS256 JWT whose `iss` is an email, with an audience and a lifetime of at most an hour;
 *   when the service account's public key was registered (addGoogleServiceAccount) its signature
 *   must verify against it;
 * - `refresh_token` with `refresh_token`, `client_id` and `client_secret` (a user's credentials,
 *   such as gcloud's application default credentials): the refresh token must have been
 *   registered (addGoogleAuthorizedUser) for that client and secret.
 *
 * Answers a `sim-google-…` Bearer token that Vertex AI routes then accept, or Google's error JSON
 * (400 `unsupported_grant_type`, `invalid_request`, `invalid_grant`; 401 `invalid_client`).
 */
export async function handleGoogleToken(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimState,
): Promise<void> {
  const body = await readBody(req, 64 * 1024);
  if (!body.ok) return;
  const form = new URLSearchParams(body.text);
  const refuse = (error: string, description: string, status = 400) => {
    state.stats.googleToken(false);
    answer(res, status, { error, error_description: description });
  };
  const grant = form.get('grant_type');
  if (grant === refreshTokenGrant) {
    const problem = refreshProblem(form, state.googleAuthorizedUsers);
    if (problem !== undefined) return refuse(problem.error, problem.description, problem.status);
    return issue(res, state, { scope: 'https://www.googleapis.com/auth/cloud-platform' });
  }
  if (grant !== jwtBearerGrant) {
    return refuse('unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
  }
  const assertion = form.get('assertion');
  if (!assertion) return refuse('invalid_request', 'Missing required parameter: assertion');
  const problem = assertionProblem(
    assertion,
    state.googleServiceAccounts,
    Math.floor(Date.now() / 1000),
  );
  if (problem !== undefined) return refuse('invalid_grant', problem);
  issue(res, state, {});
}

/** Issues a new access token (remembered, so that Vertex AI routes accept it) and answers it. */
function issue(res: ServerResponse, state: SimState, extra: { scope?: string }): void {
  const token = `${googleTokenPrefix}${randomBytes(24).toString('base64url')}`;
  state.googleTokens.add(token);
  state.stats.googleToken(true);
  answer(res, 200, {
    access_token: token,
    expires_in: tokenLifetimeSeconds,
    ...extra,
    token_type: 'Bearer',
  });
}
