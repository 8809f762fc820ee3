export { anthropicAdapter } from './anthropic.adapter';
export {
  ANTHROPIC_DEFAULT_MAX_TOKENS,
  ANTHROPIC_VERSION,
  JSON_RESPONSE_TOOL_NAME,
  PLACEHOLDER_USER_TEXT,
} from './anthropic.constants';
