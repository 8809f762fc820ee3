import { createHash, timingSafeEqual } from 'node:crypto';
import { DEFAULT_TENANT } from '@switchyard/contracts';
import { GatewayError, OpenAiErrorTypes, tooManyRequests } from './gateway-error';
import { headerValue, type HeaderBag } from './job-headers';

/** The part of a virtual key the gateway reads (libs/keys `VirtualKey`). */
export interface CallerKey {
  id: string;
  tenant: string;
  /** The logical models it may use; empty means all. */
  models: string[];
  rpm?: number;
}

/** The part of libs/keys' VirtualKeyStore the gateway uses. */
export interface KeyVerifier<K extends CallerKey = CallerKey> {
  verify(secret: string): Promise<K | undefined>;
  takeRequest(
    key: K,
    now?: number,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }>;
}

/** Who is calling: the tenant jobs are submitted for, and the virtual key, if one was used. */
export interface Caller {
  tenant: string;
  /** The virtual key; absent for the master key and for open access. */
  key?: CallerKey;
}

/**
 * The key a request carries: `Authorization: Bearer <key>`, else `api-key` (Azure's header),
 * else `x-api-key` (Anthropic's). Empty values count as none.
 */
export function presentedKey(headers: HeaderBag): string | undefined {
  const authorization = headerValue(headers, 'authorization')?.trim();
  const bearer = authorization === undefined ? undefined : /^bearer\s+(\S+)$/i.exec(authorization);
  const key = bearer?.[1] ?? headerValue(headers, 'api-key') ?? headerValue(headers, 'x-api-key');
  const trimmed = key?.trim();
  return trimmed === undefined || trimmed.length === 0 ? undefined : trimmed;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function unauthorized(code: string, message: string): GatewayError {
  return new GatewayError({ status: 401, type: OpenAiErrorTypes.authentication, code, message });
}

/**
 * Decides who a request is and what it may do. With a master key configured, every request
 * needs a key: the master key (tenant `default`, every model) or a live virtual key (its
 * tenant, its models, its rpm). Without one the gateway is open, as LiteLLM is without a
 * `master_key`: a request with a valid virtual key is that key's; any other is tenant
 * `default` with every model. Keys are never logged or echoed.
 */
export class Authenticator {
  private readonly masterDigest: Buffer | undefined;

  constructor(
    masterKey: string | undefined,
    private readonly keys: KeyVerifier,
  ) {
    this.masterDigest = masterKey === undefined ? undefined : digest(masterKey);
  }

  /** Whether requests without a key are served (no master key configured). */
  get open(): boolean {
    return this.masterDigest === undefined;
  }

  /** The caller of a request; a 401 GatewayError when a master key is configured and the key is missing or unknown. */
  async authenticate(headers: HeaderBag): Promise<Caller> {
    const secret = presentedKey(headers);
    if (secret === undefined) {
      if (this.open) return { tenant: DEFAULT_TENANT };
      throw unauthorized(
        'missing_api_key',
        'No API key given: send it as "Authorization: Bearer <key>".',
      );
    }
    if (this.masterDigest !== undefined && timingSafeEqual(digest(secret), this.masterDigest)) {
      return { tenant: DEFAULT_TENANT };
    }
    const key = await this.keys.verify(secret);
    if (key !== undefined) return { tenant: key.tenant, key };
    if (this.open) return { tenant: DEFAULT_TENANT };
    throw unauthorized('invalid_api_key', 'The API key is not valid (unknown or revoked).');
  }

  /** Whether the caller may use `model`. */
  mayUse(caller: Caller, model: string): boolean {
    const allowed = caller.key?.models;
    return allowed === undefined || allowed.length === 0 || allowed.includes(model);
  }

  /**
   * Admits one request of the caller for `model`: a 403 GatewayError when the key may not use
   * the model, a 429 (with Retry-After) when the key's rpm is spent this minute.
   */
  async admit(caller: Caller, model: string): Promise<void> {
    if (!this.mayUse(caller, model)) {
      throw new GatewayError({
        status: 403,
        type: OpenAiErrorTypes.permission,
        code: 'model_not_allowed',
        message: `This API key may not use the model ${JSON.stringify(model)}.`,
        param: 'model',
      });
    }
    if (caller.key === undefined) return;
    const taken = await this.keys.takeRequest(caller.key);
    if (!taken.allowed) {
      throw tooManyRequests(
        'key_rate_limit_exceeded',
        `This API key's limit of ${caller.key.rpm ?? 0} requests per minute is reached; retry after ${Math.ceil(taken.retryAfterMs / 1000)} s.`,
        taken.retryAfterMs,
      );
    }
  }
}
