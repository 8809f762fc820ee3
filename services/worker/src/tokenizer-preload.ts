import type { Deployment } from '@switchyard/config';
import { countTokens, tokenEncodingFor, type TokenEncoding } from '@switchyard/limits';

/**
 * Loads the tokenizers the worker counts prompts with as a rule, before it takes a job: those
 * of its deployments with a tpm limit, or of all of them when `anyDeployment` (pre-call checks,
 * which count every prompt, or a tenant budget in the config, which counts that tenant's).
 * Loading one stalls the process ≈ 0.5 s (libs/limits token-encoding.ts), which on the first
 * job would stall every call in flight with it. A tokenizer counted with only now and then (a
 * cancelled or cut call's estimate, a virtual key's budget) is still loaded on first use, so
 * that a worker that never needs it does not keep its RSS. Returns the encodings loaded.
 */
export function preloadTokenizers(
  deployments: readonly Deployment[],
  anyDeployment: boolean,
): TokenEncoding[] {
  const encodings = new Set<TokenEncoding>();
  for (const deployment of deployments) {
    if (!anyDeployment && deployment.tpm === undefined) continue;
    const encoding = tokenEncodingFor(deployment);
    if (encoding !== undefined) encodings.add(encoding);
  }
  for (const encoding of encodings) countTokens(encoding, '');
  return [...encodings];
}
