import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ErrorCase } from './provider';

/**
 * The secret access key the simulator knows for every access key id: a request signed with
 * another secret fails with InvalidSignatureException.
 */
export const SIM_AWS_SECRET_ACCESS_KEY = 'sim-secret';

/** The parts of an `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const authorizationPattern =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The SigV4 Authorization header read, or undefined when it is absent or not SigV4. */
export function readSigV4(headers: IncomingHttpHeaders): SigV4Authorization | undefined {
  const match = authorizationPattern.exec(header(headers, 'authorization')?.trim() ?? '');
  if (match === null) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signed = '', signature = ''] =
    match;
  return { accessKeyId, date, region, service, signedHeaders: signed.split(';'), signature };
}

/** `20240101T120000Z` as a Date. */
function amzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0));
}

function invalidSignature(message: string): ErrorCase {
  return { kind: 'invalid_request', code: 'InvalidSignatureException', message };
}

/**
 * Checks a request's SigV4 signature as Bedrock does, with {@link SIM_AWS_SECRET_ACCESS_KEY}
 * as the secret: the signature is computed again over the method, the path as sent, the query,
 * the signed headers and the body, for the credential's date, region and service (which must
 * be `bedrock`). Undefined when it matches; otherwise an InvalidSignatureException (or an
 * IncompleteSignatureException for a request without `x-amz-date`).
 */
export async function verifySigV4(request: {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}): Promise<ErrorCase | undefined> {
  const auth = readSigV4(request.headers);
  if (auth === undefined) return invalidSignature('Authorization header is not AWS4-HMAC-SHA256');
  const dateHeader = header(request.headers, 'x-amz-date');
  const signingDate = dateHeader === undefined ? undefined : amzDate(dateHeader);
  if (signingDate === undefined || !auth.signedHeaders.includes('x-amz-date')) {
    return {
      kind: 'invalid_request',
      code: 'IncompleteSignatureException',
      message:
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    };
  }
  if (auth.service !== 'bedrock') {
    return invalidSignature(`Credential should be scoped to correct service: 'bedrock'.`);
  }
  const q = request.url.indexOf('?');
  const path = q === -1 ? request.url : request.url.slice(0, q);
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(q === -1 ? '' : request.url.slice(q + 1))) {
    query[name] = value;
  }
  const signedHeaders: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = header(request.headers, name);
    if (value !== undefined) signedHeaders[name] = value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: SIM_AWS_SECRET_ACCESS_KEY },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: header(request.headers, 'host') ?? '',
      path,
      query,
      headers: signedHeaders,
      body: request.body,
    },
    { signingDate },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization']))?.[1];
  if (expected === auth.signature) return undefined;
  return invalidSignature(
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
}
