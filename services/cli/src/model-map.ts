import type { SwitchyardConfig } from '@switchyard/config';

/** The logical models of a config as aligned text lines, one per deployment. */
export function formatModelMap(config: SwitchyardConfig): string[] {
  const rows: string[][] = [];
  for (const model of Object.values(config.models)) {
    model.deployments.forEach((deployment, index) => {
      const limits = [
        deployment.rpm === undefined ? '' : `rpm ${deployment.rpm}`,
        deployment.tpm === undefined ? '' : `tpm ${deployment.tpm}`,
      ].filter(Boolean);
      rows.push([
        index === 0 ? model.name : '',
        `${deployment.provider}/${deployment.providerModel}`,
        deployment.id,
        limits.join(', '),
        index === 0 && model.fallbacks.length > 0
          ? `fallbacks: ${model.fallbacks.join(' → ')}`
          : '',
      ]);
    });
  }
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths?.[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
