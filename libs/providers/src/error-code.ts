/**
 * A provider's error code as a stable Switchyard code: lower snake_case, at most 64
 * characters, starting with a letter (`RESOURCE_EXHAUSTED` → `resource_exhausted`,
 * `DeploymentNotFound` → `deployment_not_found`, `invalid-api-key` → `invalid_api_key`).
 * Undefined when nothing usable is left (a number such as `"401"`, an empty string).
 */
export function toErrorCode(raw: string | number | null | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const snake = raw
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
    .replace(/_+$/, '');
  return /^[a-z][a-z0-9_]*$/.test(snake) ? snake : undefined;
}
