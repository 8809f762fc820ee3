/**
 * Freezes `value` and everything reachable from it with Object.freeze, so that assignment
 * anywhere inside throws in strict mode. Returns `value`.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    }
  }
  return value;
}
