/** The provider name this adapter serves, as in config (`vertex_ai/gemini-…`, `vertex_ai/claude-…`). */
export const VERTEX_PROVIDER = 'vertex_ai';

/** The `anthropic_version` a Claude request body on Vertex AI carries (instead of a header). */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';
