export { VirtualKeyStore, keyStoreOptionsFrom, type KeyStoreOptions } from './virtual-key-store';
export type { KeysBucketSettings } from './keys-bucket';
export { KeyInputError } from './key-input.error';
export { aliasProblem, maxModelsPerKey } from './validate-key-input';
export { secretPrefix } from './key-secret';
export type {
  CreateKeyInput,
  ListKeysOptions,
  TakeRequestResult,
  VirtualKey,
} from './virtual-key.types';
