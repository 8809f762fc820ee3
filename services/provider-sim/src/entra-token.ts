import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, send } from './http-io';
import type { SimState } from './sim-state';

/** Every access token the simulator issues starts so; an Azure request with another is refused. */
export const entraTokenPrefix = 'sim-entra-';

/** The client secret the simulator refuses, to script a wrong secret. */
export const refusedClientSecret = 'wrong-secret';

/** How long an issued token lives, in seconds, as Entra ID's answers say. */
const tokenLifetimeSeconds = 3599;

function answer(res: ServerResponse, status: number, body: object): void {
  send(res, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  });
}

/**
 * Microsoft Entra ID's token endpoint for the OAuth 2.0 client credentials grant
 * (`POST /<tenant>/oauth2/v2.0/token`, a form of grant_type, client_id, client_secret and
 * scope): a Bearer token that Azure deployments then accept, or Entra's error JSON (400 for a
 * malformed request, 401 `invalid_client` for the secret `wrong-secret`).
 */
export async function handleEntraToken(
  req: IncomingMessage,
  res: ServerResponse,
  tenant: string,
  state: SimState,
): Promise<void> {
  const body = await readBody(req, 64 * 1024);
  if (!body.ok) return;
  const form = new URLSearchParams(body.text);
  const refuse = (status: number, error: string, description: string) => {
    state.stats.entraToken(false);
    answer(res, status, {
      error,
      error_description: `${description} Trace ID: ${randomBytes(8).toString('hex')}`,
      error_codes: [status === 401 ? 7000215 : 900144],
    });
  };
  if (form.get('grant_type') !== 'client_credentials') {
    return refuse(
      400,
      'unsupported_grant_type',
      'AADSTS70003: The app requested an unsupported grant type.',
    );
  }
  for (const field of ['client_id', 'client_secret', 'scope']) {
    if (!form.get(field)) {
      return refuse(
        400,
        'invalid_request',
        `AADSTS900144: The request body must contain the following parameter: '${field}'.`,
      );
    }
  }
  if (form.get('client_secret') === refusedClientSecret) {
    return refuse(
      401,
      'invalid_client',
      `AADSTS7000215: Invalid client secret provided for tenant ${tenant}.`,
    );
  }
  const token = `${entraTokenPrefix}${randomBytes(24).toString('base64url')}`;
  state.entraTokens.add(token);
  state.stats.entraToken(true);
  answer(res, 200, {
    token_type: 'Bearer',
    expires_in: tokenLifetimeSeconds,
    ext_expires_in: tokenLifetimeSeconds,
    access_token: token,
  });
}
