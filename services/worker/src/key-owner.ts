import type { VirtualKeyStore } from '@switchyard/keys';

/** The tenant a virtual key belongs to, or undefined for a key that does not exist. */
export type KeyOwnerLookup = (keyId: string) => Promise<string | undefined>;

/** How long a key the view has not seen yet is waited for (it may have just been created). */
export const unseenKeyWaitMs = 2_000;
const pollMs = 50;

/**
 * Reads a key's tenant from the store's in-memory view of the keys bucket: no I/O while the view
 * has the key. A key the view does not have yet (created an instant ago, while its watch update
 * is on the way) is looked for again until `waitMs` has passed.
 */
export function keyOwnersFrom(
  store: Pick<VirtualKeyStore, 'get'>,
  waitMs = unseenKeyWaitMs,
): KeyOwnerLookup {
  return async (keyId) => {
    const giveUpAt = Date.now() + waitMs;
    for (;;) {
      const key = await store.get(keyId);
      if (key !== undefined) return key.tenant;
      if (Date.now() >= giveUpAt) return undefined;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
}
