import type { VirtualKey } from '@switchyard/keys';
import { formatDuration } from '../cli-values';
import { isoTime, textTable } from '../text-table';

/** The lines `keys create` prints about the new key (the secret is printed separately). */
export function describeKey(key: VirtualKey): string[] {
  return [
    `id:        ${key.id}`,
    `alias:     ${key.alias ?? '-'}`,
    `tenant:    ${key.tenant}`,
    `models:    ${key.models.length === 0 ? 'all' : key.models.join(', ')}`,
    `rpm:       ${key.rpm ?? 'unlimited'}`,
    `budget:    ${
      key.maxBudget === undefined
        ? 'none'
        : `$${key.maxBudget}${key.budgetDurationMs === undefined ? '' : ` per ${formatDuration(key.budgetDurationMs)}`}`
    }`,
    `hint:      ${key.hint}`,
    `created:   ${isoTime(key.createdAt)}`,
  ];
}

/** The `keys list` table. */
export function keysTable(keys: readonly VirtualKey[]): string[] {
  return textTable(
    ['ID', 'ALIAS', 'TENANT', 'MODELS', 'RPM', 'HINT', 'CREATED', 'REVOKED'],
    keys.map((key) => [
      key.id,
      key.alias ?? '-',
      key.tenant,
      key.models.length === 0 ? 'all' : key.models.join(','),
      key.rpm === undefined ? '-' : String(key.rpm),
      key.hint,
      isoTime(key.createdAt),
      key.revokedAt === undefined ? '-' : isoTime(key.revokedAt),
    ]),
  );
}
