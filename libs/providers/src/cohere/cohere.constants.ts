/** The provider name on every error this adapter raises. */
export const COHERE_PROVIDER = 'cohere';

/** Cohere's public API endpoint; the v2 Chat API is `POST <base>/v2/chat`. */
export const COHERE_API_BASE = 'https://api.cohere.com';
