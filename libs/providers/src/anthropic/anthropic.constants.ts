/** The provider name this adapter serves, as in config (`anthropic/claude-…`). */
export const ANTHROPIC_PROVIDER = 'anthropic';

/** Where requests go when the deployment sets no `api_base`. */
export const ANTHROPIC_DEFAULT_API_BASE = 'https://api.anthropic.com';

/**
 * The `anthropic-version` header sent with every request. Later versions (2026-10-21) reject
 * the sampling parameters this adapter translates, so the adapter pins this one.
 */
export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * `max_tokens` when the request sets neither `max_tokens` nor `max_completion_tokens` and the
 * deployment has no `model_info.max_output_tokens`: Anthropic requires the field, and every
 * current Claude model can produce at least this many tokens.
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * The tool that carries JSON mode (`response_format` json_object / json_schema): the request
 * forces the model to call it, and its input comes back as the message content. The name is
 * reserved: a request may not define a tool of its own with this name.
 */
export const JSON_RESPONSE_TOOL_NAME = 'json_response';

/**
 * The text of the user turn inserted when a conversation does not start with a user message
 * (Anthropic requires one): a single full stop, which carries no instruction.
 */
export const PLACEHOLDER_USER_TEXT = '.';
